from django.apps import AppConfig


class TrustsConfig(AppConfig):
    name = "trusts"
    verbose_name = "Trusts and academies"

    def ready(self):
        from network.base import personal_data
        from network.base.privacy import erasure, retention

        from . import import_jobs
        from . import personal_data as trusts_personal_data
        from . import retention as trusts_retention

        personal_data.register(trusts_personal_data.SECTIONS, trusts_personal_data.NOT_EXPORTED)
        retention.register(*trusts_retention.RULES)
        erasure.register(trusts_personal_data.erase_trust_contact)
        import_jobs.register()
