"""python manage.py import_inspections PATH [--format json]

The importer is `trusts.importers.inspections`; this command lives in the programme
(`network`) because it also tells the membership year about each inspection: a grade 3
or 4 for a current member flags the membership "at risk" and emails the coordinators,
in the same savepoint as the inspection. `trusts` may not import the programme (the
arrows point one way), so the programme wires the two together here.
"""

from network.membership.services import membership_flag_after_inspection
from trusts.importers.base import ImportCommand
from trusts.importers.inspections import import_inspections


class Command(ImportCommand):
    help = (
        "Import inspections from Ofsted's management-information file for state-funded schools (CSV). Members "
        "with a new grade 3 or 4 are flagged at risk and the coordinators told. Running the file again changes nothing."
    )

    def run_import(self, path, options):
        return import_inspections(
            source=path, on_inspection=lambda inspection: membership_flag_after_inspection(inspection=inspection)
        )
