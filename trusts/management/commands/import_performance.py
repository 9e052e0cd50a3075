"""python manage.py import_performance PATH [--year 2024-25] [--format json]"""

from trusts.importers.base import ImportCommand
from trusts.importers.performance import import_performance


class Command(ImportCommand):
    help = (
        "Import KS4 Progress 8 from the DfE's school-level file (performance tables or Explore Education "
        "Statistics) and compute national percentiles from it. Running the same file again changes nothing."
    )

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--year",
            default=None,
            metavar="2024-25",
            help="The academic year of the results: required for a performance-tables file; for an EES file, "
            "imports only that year.",
        )

    def run_import(self, path, options):
        return import_performance(source=path, year=options["year"])
