from django.urls import path

from network.programme.roles import views

urlpatterns = [
    path("roles/", views.role_list, name="role_list"),
    path("roles/succession/", views.succession_risks, name="succession_risks"),
]
