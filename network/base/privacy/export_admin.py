"""The admin's "Personal data" page on a person or a login: a coordinator answers a
request made by letter, email or phone (a subject access request) with the same copy the
person would download. A platform mixin: rooms' ModelAdmins add it."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse

from network.base.privacy.views import export_response

PRODUCED = "Produced a copy of their personal data (subject access request)."


class PersonalDataAdminMixin:
    """Adds `<pk>/personal-data/` (HTML, or JSON with ?format=json) for whoever may view
    the record. `export_for(obj)` says whose data it is."""

    def export_for(self, obj):
        raise NotImplementedError

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name=f"{prefix}_personal_data",
            ),
            *super().get_urls(),
        ]

    def personal_data_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        export = self.export_for(obj)
        # Who produced whose copy, and when, is kept in the record's admin history.
        self.log_change(request, obj, PRODUCED)
        prefix = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Personal data: {export.subject}",
            "changelist_url": f"{prefix}_changelist",
            "change_url": reverse(f"{prefix}_change", args=[obj.pk]),
        }
        return export_response(request, export, template="admin/personal_data.html", context=context)
