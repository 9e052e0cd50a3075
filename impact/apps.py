from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact and evidence"

    def ready(self):
        # Personal data: the impact room's export sections and its part of erasure
        # (network/base/personal_data.py, network/base/privacy/erasure.py).
        from network.base import personal_data
        from network.base.privacy import erasure, retention

        from . import personal_data as impact_personal_data
        from .reviews import personal_data as reviews_personal_data

        personal_data.register(impact_personal_data.SECTIONS)
        personal_data.register(reviews_personal_data.SECTIONS)  # the six-lens review's comments
        erasure.register(impact_personal_data.erase_survey_drafts)
        # Written answers to surveys are kept RETENTION_SURVEY_FREE_TEXT_DAYS (3 years by
        # default) from the month they were given; the ratings stay, so results remain
        # comparable year on year.
        retention.register(
            retention.blank_fields(
                "survey_free_text",
                "impact.Answer",
                fields=["text"],
                date_field="response__month",
                what="What you wrote in answer to a survey",
                why="To learn what the network's CPD changed, in participants' own words",
                who_sees="The network's coordinators (and, in groups of 5 or more, your trust's executives)",
                counted_from="from the month you answered",
                removal="the text is removed; ratings and choices stay",
                order=60,
            )
        )
