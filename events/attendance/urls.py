"""URLs for attendance, certificates, CPD records, calendars and the trust CPD view,
included by `events.urls` (so in the `events:` namespace). Two are public (no sign-in):
the certificate check and the calendar feed, whose secret token is the credential; their
paths are printed on certificates and held by calendar apps, so they never move."""

from django.urls import path

from events.attendance import views

urlpatterns = [
    path("events/<int:pk>/register/", views.register, name="event_register"),
    path("events/<int:pk>/register/import/", views.register_import, name="event_register_import"),
    path(
        "events/<int:pk>/register/<int:booking_pk>/override/",
        views.attendance_override,
        name="attendance_override",
    ),
    path("cpd/", views.my_cpd, name="my_cpd"),
    path("cpd/export.csv", views.my_cpd_csv, name="my_cpd_csv"),
    path("cpd/calendar-feed/", views.calendar_feed_manage, name="calendar_feed_manage"),
    path("cpd/certificates/<int:booking_pk>.pdf", views.certificate_download, name="certificate_download"),
    path("certificates/verify/", views.certificate_verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("bookings/<int:pk>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("cpd/trusts/<int:pk>/", views.trust_cpd, name="trust_cpd"),
]
