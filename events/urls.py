"""Every URL of the events room, in the `events:` namespace, mounted at the site root
(network/urls.py) because the room serves more than /events/: the CPD record, the public
certificate check and the calendar feed keep the addresses printed on certificates and
subscribed to in calendar apps."""

from django.urls import include, path

from events import views
from events.attendance import urls as attendance_urls
from events.visits import urls as visit_urls

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/book/", views.event_book, name="event_book"),
    path("events/<int:pk>/book-for/", views.book_on_behalf, name="book_on_behalf"),
    path("events/my-bookings/", views.my_bookings, name="my_bookings"),
    path("events/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("events/bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("events/bookings/<int:pk>/approve/", views.booking_approve, name="booking_approve"),
    path("events/bookings/<int:pk>/decline/", views.booking_decline, name="booking_decline"),
    path("events/approvals/", views.approvals, name="approvals"),
    path("events/approvals/<str:token>/", views.approval_by_link, name="approval_by_link"),
    path("", include(attendance_urls.urlpatterns)),
    # Academy visits (events/visits/).
    path("", include(visit_urls.urlpatterns)),
]
