"""The programme's pages: role homes, the directory, the membership year."""

from django.urls import path

from network.programme import views
from network.programme.membership import urls as membership_urls

# isort: split
# -- The network programme: grants, roles, hubs, connections, the radar (issue 13) -----
from network.programme.connections import urls as connections_urls
from network.programme.grants import urls as grants_urls
from network.programme.hubs import urls as hubs_urls
from network.programme.radar import urls as radar_urls
from network.programme.roles import urls as roles_urls

PROGRAMME_URLS = [
    *grants_urls.urlpatterns,
    *roles_urls.urlpatterns,
    *hubs_urls.urlpatterns,
    *connections_urls.urlpatterns,
    *radar_urls.urlpatterns,
]
# -- end of the network programme (issue 13) --------------------------------------------

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/", views.directory_person, name="directory_person"),
    *membership_urls.urlpatterns,
    *PROGRAMME_URLS,  # issue 13
]
