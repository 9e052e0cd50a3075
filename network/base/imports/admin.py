"""The admin side of background imports: the job's page (progress while it runs, the
report when it is done, and "Import these rows" after a clean check), and the import
button of every spreadsheet admin (`BackgroundImportMixin`), which stores the upload and
queues a job instead of importing inside the request."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from network.base.imports.jobs import import_job_create, import_job_repeat, read_progress
from network.base.imports.models import ImportJob
from network.base.imports.spreadsheets import SAFE_FORMATS


def job_url(job: ImportJob) -> str:
    return reverse("admin:network_importjob_change", args=[job.pk])


def confirmable(user, job: ImportJob) -> bool:
    """A check that finished with no problem row, by someone who may add and change
    what the file imports."""
    if not (job.dry_run and job.status == ImportJob.Status.DONE and not job.report.get("errors")):
        return False
    app_label, model = job.target.lower().split(".")
    return user.has_perm(f"{app_label}.add_{model}") and user.has_perm(f"{app_label}.change_{model}")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "dry_run", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "dry_run"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # jobs are started by uploading a file on the import pages

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/status/", self.admin_site.admin_view(self.status_view), name="network_importjob_status"),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="network_importjob_confirm"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> ImportJob:
        job = ImportJob.objects.select_related("created_by").filter(pk=pk).first()
        if job is None:
            raise Http404
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def _context(self, request, job):
        return {
            "job": job,
            "progress": None if job.is_finished else read_progress(job),
            "may_import": confirmable(request.user, job),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            **self._context(request, job),
            "opts": self.opts,
            "title": str(job),
        }
        return TemplateResponse(request, "admin/network/importjob/job.html", context)

    def status_view(self, request, pk):
        """The part of the page that changes, for htmx to fetch every two seconds until
        the job has finished."""
        job = self._job(request, pk)
        return TemplateResponse(request, "admin/network/importjob/_status.html", self._context(request, job))

    @method_decorator(require_POST)
    def confirm_view(self, request, pk):
        job = self._job(request, pk)
        if not confirmable(request.user, job):
            raise PermissionDenied
        again = import_job_repeat(job=job, by=request.user, dry_run=False)
        messages.info(request, "The import has started; this page shows how far it is.")
        return redirect(job_url(again))


class BackgroundImportMixin:
    """For import-export admins: Import stores the file and starts a check (a dry run)
    in the background, then the job's page offers to import the rows. Nothing is read
    or imported in the request but the file's size (and a kind's quick check)."""

    def import_action(self, request, **kwargs):
        if request.method != "POST":
            return super().import_action(request, **kwargs)  # the upload form
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if form.is_valid():
            resource = self.choose_import_resource_class(form, request)
            try:
                job = import_job_create(
                    kind="resource",
                    target=self.opts.label,
                    upload=form.cleaned_data["import_file"],
                    options={
                        "resource": f"{resource.__module__}.{resource.__qualname__}",
                        "format": int(form.cleaned_data["format"]),
                    },  # fmt: skip
                    by=request.user,
                    dry_run=True,
                )
            except ValidationError as error:
                form.add_error("import_file", error)
            else:
                return redirect(job_url(job))
        return self._import_form_page(request, form)

    def _import_form_page(self, request, form):
        resources = [
            cls(**self.get_import_resource_kwargs(request, form=form))
            for cls in self.get_import_resource_classes(request)
        ]
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": "Import",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (r.get_display_name(), [f.column_name for f in r.get_user_visible_fields()]) for r in resources
            ],
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def process_import(self, request, **kwargs):
        # import-export's own confirm step would import in the request: the job's page
        # confirms instead.
        raise Http404


class SpreadsheetAdminMixin(BackgroundImportMixin):
    """Put before import-export's admin mixins: CSV and XLSX only, escaped on export,
    and imports run as background jobs (this module)."""

    formats = SAFE_FORMATS
