from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network programme"

    def ready(self):
        # Register the platform's system checks and signal receivers, and each part's
        # domain-signal listeners (e.g. membership hears `trusts.inspection_recorded`).
        # -- The network programme (issue 13): its part of "Download my data" and erasure.
        from network.base import checks, personal_data, rules, signals  # noqa: F401
        from network.programme import personal_data as programme_personal_data
        from network.programme import rules as programme_rules  # noqa: F401
        from network.programme.membership import signals as membership_signals  # noqa: F401

        if programme_personal_data.export not in personal_data.EXPORTERS:
            personal_data.EXPORTERS.append(programme_personal_data.export)
        if programme_personal_data.erase not in personal_data.ERASERS:
            personal_data.ERASERS.append(programme_personal_data.erase)
