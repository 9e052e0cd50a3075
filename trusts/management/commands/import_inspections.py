"""python manage.py import_inspections PATH [--format json]

Reads Ofsted's management-information file. Each inspection written is announced
(`trusts.signals.inspection_recorded`), so the membership year flags a member with a new
grade 3 or 4 "at risk" and tells the coordinators, in the same savepoint.
"""

from trusts.importers.base import ImportCommand
from trusts.importers.inspections import import_inspections


class Command(ImportCommand):
    help = (
        "Import inspections from Ofsted's management-information file for state-funded schools (CSV). Members "
        "with a new grade 3 or 4 are flagged at risk and the coordinators told. Running the file again changes nothing."
    )

    def run_import(self, path, options):
        return import_inspections(source=path)
