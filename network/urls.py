"""The URL wiring. Each room's pages live in its own namespace (`network:`, `trusts:`,
`events:`), so a name says which room answers it."""

import functools

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import SimpleLazyObject

from network.base import urls as base_urls
from network.programme import urls as programme_urls

admin.site.site_header = settings.PORTAL_NAME + " administration"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Run the network"
# Speed (issue 14): no app list in a sidebar on every admin page. Rendering it (48
# models, two links each) was a fifth of a changelist's cost (67 -> 54 ms test-client
# CPU on academies at scale 10); the index page lists the same apps, and every page's
# breadcrumbs lead back to it.
admin.site.enable_nav_sidebar = False
# Every admin page's context carries the app list (each_context), built by asking each
# of the 48 model admins four "may" questions: ~8 ms a page. Only the index and an app's
# index show it now, so it is built when a template first reads it.
_build_app_list = admin.site.get_app_list
admin.site.get_app_list = lambda request, app_label=None: SimpleLazyObject(
    functools.partial(_build_app_list, request, app_label)
)
# One sign-in for the whole site: the admin's own login form was a second door with no
# attempt limits, no email verification and no second step. allauth's documented guard
# sends people to its sign-in page (and back), and refuses signed-in non-staff (403).
# https://docs.allauth.org/en/latest/common/admin.html
admin.site.login = secure_admin_login(admin.site.login)

# The network room is two parts (the platform and the programme) under one namespace.
network_room = ([*base_urls.urlpatterns, *programme_urls.urlpatterns], "network")

urlpatterns = [
    path("", include(network_room)),
    path("", include("trusts.urls")),
    path("", include("events.urls")),
    path("impact/", include("impact.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
