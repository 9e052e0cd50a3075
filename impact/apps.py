from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact and evidence"

    def ready(self):
        # -- Surveys and the evidence log (issue 11): personal data hooks ------------------
        from network.base import personal_data

        from . import personal_data as impact_personal_data

        if impact_personal_data.export_surveys not in personal_data.EXPORTERS:
            personal_data.EXPORTERS.append(impact_personal_data.export_surveys)
        if impact_personal_data.erase_survey_drafts not in personal_data.ERASERS:
            personal_data.ERASERS.append(impact_personal_data.erase_survey_drafts)
        # -- end of surveys and the evidence log -------------------------------------------
