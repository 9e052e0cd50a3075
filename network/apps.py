from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network programme"

    def ready(self):
        # Checks, signals and the platform's retention rules register on import.
        from . import checks, personal_data, retention, signals  # noqa: F401
        from .membership import personal_data as membership_personal_data
        from .membership import signals as membership_signals  # noqa: F401

        personal_data.register(membership_personal_data.SECTIONS)
