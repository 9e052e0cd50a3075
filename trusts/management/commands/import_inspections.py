"""python manage.py import_inspections PATH [--format json]

Reads Ofsted's management-information file: the latest-inspections file or a file with
one row per inspection (in-year, all inspections). Each inspection written is announced
(`trusts.signals.inspection_recorded`), so the membership year flags a member whose new
latest inspection makes it ineligible (a grade 3 or 4, or a report card with urgent
improvement or safeguarding not met) "at risk" and tells the coordinators, in the same
savepoint.
"""

from trusts.importers.base import ImportCommand
from trusts.importers.inspections import import_inspections


class Command(ImportCommand):
    help = (
        "Import inspections from Ofsted's management-information file for state-funded schools (CSV), one row per "
        "school or one row per inspection. Members whose latest inspection makes them ineligible (a grade 3 or 4, or "
        "a report card with urgent improvement or safeguarding not met) are flagged at risk and the coordinators "
        "told. Running the file again changes nothing."
    )

    def run_import(self, path, options):
        return import_inspections(source=path)
