"""django-import-export resources: CSV/XLSX in and out for coordinators. Natural keys
(GIAS UID, URN, email) make a re-import update rows instead of duplicating them. Each
derives from `network.base.imports.spreadsheets.SpreadsheetResource` (formula-safe round trips)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets

from network.base.imports.spreadsheets import SpreadsheetResource
from network.base.privacy.erasure import erased_identity, refusal_reason
from trusts.models import Academy, Designation, ExpertiseTag, Person, Trust
from trusts.services import academy_move_trust


class TrustResource(SpreadsheetResource):
    class Meta:
        model = Trust
        import_id_fields = ["gias_uid"]
        fields = ["gias_uid", "name", "companies_house_number", "region", "ceo_name", "ceo_email"]
        skip_unchanged = True
        report_skipped = True


class AcademyResource(SpreadsheetResource):
    trust = fields.Field(
        attribute="trust", column_name="trust_gias_uid", widget=widgets.ForeignKeyWidget(Trust, "gias_uid")
    )

    class Meta:
        model = Academy
        import_id_fields = ["urn"]
        fields = [
            "urn",
            "name",
            "trust",
            "phase",
            "local_authority",
            "region",
            "urban_rural",
            "community_type",
            "pupils_on_roll",
            "percent_fsm",
            "has_sixth_form",
            "is_open",
            "support_tier",
        ]
        skip_unchanged = True
        report_skipped = True

    def after_save_instance(self, instance, row, **kwargs):
        # A spreadsheet that changes an academy's trust records the move with its date,
        # like the GIAS importer, so history and the trust column agree.
        academy_move_trust(academy=instance, trust=instance.trust, on=timezone.localdate())


class PersonResource(SpreadsheetResource):
    academy = fields.Field(
        attribute="academy", column_name="academy_urn", widget=widgets.ForeignKeyWidget(Academy, "urn")
    )
    trust = fields.Field(
        attribute="trust", column_name="trust_gias_uid", widget=widgets.ForeignKeyWidget(Trust, "gias_uid")
    )
    designations = fields.Field(
        attribute="designations",
        column_name="designations",
        widget=widgets.ManyToManyWidget(Designation, field="name", separator=";"),
    )
    expertise = fields.Field(
        attribute="expertise",
        column_name="expertise",
        widget=widgets.ManyToManyWidget(ExpertiseTag, field="name", separator=";"),
    )

    class Meta:
        model = Person
        import_id_fields = ["email"]
        fields = [
            "email",
            "first_name",
            "last_name",
            "academy",
            "trust",
            "job_role",
            "designations",
            "expertise",
            "expertise_summary",
            "directory_consent",
        ]
        skip_unchanged = True
        report_skipped = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """An erased person is never re-created by an import: a row with their email
        address, or their name at their academy, is refused with the reason."""
        errors = dict(import_validation_errors or {})
        erased = erased_identity(
            email=instance.email,
            first_name=instance.first_name,
            last_name=instance.last_name,
            academy=instance.academy if instance.academy_id else None,
        )
        if erased is not None:
            errors["email"] = ValidationError(refusal_reason(erased))
        super().validate_instance(instance, errors, validate_unique)
