from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network programme"

    def ready(self):
        from . import checks, signals  # noqa: F401  (register system checks and signals)
        from .membership import signals as membership_signals  # noqa: F401
