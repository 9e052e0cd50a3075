from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "CPD events and visits"

    def ready(self):
        from network.base import personal_data
        from network.base.privacy import erasure, retention

        from . import personal_data as events_personal_data
        from . import retention as events_retention
        from .visits import personal_data as visits_personal_data  # academy visits (events/visits)

        personal_data.register(events_personal_data.SECTIONS)
        personal_data.register(visits_personal_data.SECTIONS)
        retention.register(*events_retention.RULES)
        erasure.register(
            events_personal_data.erase_calendar_feeds,
            events_personal_data.erase_booking_mentions,
            visits_personal_data.erase,
        )
