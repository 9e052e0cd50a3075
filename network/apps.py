from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network programme"

    def ready(self):
        # Register the platform's system checks and signal receivers, and each part's
        # domain-signal listeners (e.g. membership hears `trusts.inspection_recorded`).
        # The platform's retention rules register on import.
        from network.base import changes, checks, database, lookups, mfa, personal_data, rules, signals  # noqa: F401
        from network.base.privacy import erasure, retention  # noqa: F401
        from network.programme import personal_data as programme_personal_data
        from network.programme import rules as programme_rules  # noqa: F401
        from network.programme.membership import personal_data as membership_personal_data
        from network.programme.membership import signals as membership_signals  # noqa: F401

        changes.connect()  # what remembers figures hears when the records change
        mfa.connect()  # a remembered "has a second step" is forgotten when it changes
        personal_data.register(membership_personal_data.SECTIONS)
        # The network programme (grants, roles, hubs, connections): its part of the
        # export and of erasure.
        personal_data.register(programme_personal_data.SECTIONS)
        erasure.register(programme_personal_data.erase)
