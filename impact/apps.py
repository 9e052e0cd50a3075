from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact and evidence"

    def ready(self):
        # Personal data: the impact room's export sections and its part of erasure
        # (network/base/personal_data.py, network/base/privacy/erasure.py).
        from network.base import personal_data
        from network.base.privacy import erasure

        from . import personal_data as impact_personal_data

        personal_data.register(impact_personal_data.SECTIONS)
        if impact_personal_data.erase_survey_drafts not in erasure.ERASERS:
            erasure.ERASERS.append(impact_personal_data.erase_survey_drafts)
