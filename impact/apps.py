from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact and evidence"

    def ready(self):
        # Personal data hook (network/base/privacy/retention.py, network/base/personal_data.py): when survey
        # answers land here, keep their free text for RETENTION_SURVEY_FREE_TEXT_DAYS
        # (default 3 years) with one line, and add an export section for them, e.g.
        #
        #   retention.register(retention.blank_fields(
        #       "survey_free_text", "impact.SurveyResponse", fields=["comment"],
        #       date_field="submitted_at", what="What you wrote in answer to a survey",
        #       why="To learn what the network's CPD changed", who_sees="The network's coordinators",
        #       counted_from="after you answered", removal="the text is removed; ratings stay", order=60))
        #
        # tests/network/test_personal_data_export.py fails until a model with a person in
        # it has its export section.
        pass
