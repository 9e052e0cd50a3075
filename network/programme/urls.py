"""The programme's pages: role homes, the directory, the membership year."""

from django.urls import path

from network.programme import views
from network.programme.membership import urls as membership_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    *membership_urls.urlpatterns,
]
