from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact and evidence"

    def ready(self):
        # -- Dashboards, KPIs and the six-lens review (issue 12) -----------------------
        from network.base import personal_data

        from .reviews import personal_data as reviews_personal_data

        if reviews_personal_data.export_comments not in personal_data.EXPORTERS:
            personal_data.EXPORTERS.append(reviews_personal_data.export_comments)
