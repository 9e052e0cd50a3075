from django.urls import path

from network.programme.connections import views

urlpatterns = [
    path("directory/<int:pk>/connect/", views.connection_request, name="connection_request"),
    path("connections/", views.my_connections, name="my_connections"),
    path("connections/<int:pk>/withdraw/", views.connection_withdraw, name="connection_withdraw"),
    path("connections/respond/<str:token>/", views.connection_respond, name="connection_respond"),
    path("preferences/", views.programme_preferences, name="programme_preferences"),
    path("contribution/", views.contribution_ledger, name="contribution_ledger"),
]
