from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "CPD events and visits"

    def ready(self):
        from network.base import personal_data

        from . import personal_data as events_personal_data

        if events_personal_data.export_bookings not in personal_data.EXPORTERS:
            personal_data.EXPORTERS.append(events_personal_data.export_bookings)
        if events_personal_data.erase_calendar_feeds not in personal_data.ERASERS:
            personal_data.ERASERS.append(events_personal_data.erase_calendar_feeds)
        # Academy visits (events/visits): what visits hold about a person.
        from .visits import personal_data as visits_personal_data

        if visits_personal_data.personal_data not in personal_data.EXPORTERS:
            personal_data.EXPORTERS.append(visits_personal_data.personal_data)
        if visits_personal_data.erase not in personal_data.ERASERS:
            personal_data.ERASERS.append(visits_personal_data.erase)
