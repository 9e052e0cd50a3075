from django.urls import path

from network.programme.radar import views

urlpatterns = [
    path("radar/", views.radar_list, name="radar_list"),
    path("radar/new/", views.radar_compose, name="radar_compose"),
    path("radar/<int:pk>/", views.radar_detail, name="radar_detail"),
    path("radar/<int:pk>/edit/", views.radar_edit, name="radar_edit"),
    path("radar/<int:pk>/preview/", views.radar_preview, name="radar_preview"),
    path("radar/<int:pk>/send/", views.radar_send, name="radar_send"),
]
