from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/book/", views.event_book, name="event_book"),
    path("<int:pk>/book-for/", views.book_on_behalf, name="book_on_behalf"),
    path("my-bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/approve/", views.booking_approve, name="booking_approve"),
    path("bookings/<int:pk>/decline/", views.booking_decline, name="booking_decline"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<str:token>/", views.approval_by_link, name="approval_by_link"),
]
