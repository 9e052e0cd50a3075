"""python manage.py import_gias PATH [--trust-uid UID ...] [--as-of DD/MM/YYYY] [--format json]"""

from trusts.importers.base import ImportCommand, parse_uk_date
from trusts.importers.gias import import_gias


class Command(ImportCommand):
    help = (
        "Import academies and trusts from a 'Get Information About Schools' establishment export (CSV). "
        "Row errors are reported and the other rows imported; running the same file again changes nothing."
    )

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--trust-uid",
            action="append",
            default=[],
            dest="trust_uids",
            metavar="UID",
            help="Import only academies of the trust with this GIAS group UID (repeatable).",
        )
        parser.add_argument(
            "--as-of",
            type=parse_uk_date,
            default=None,
            metavar="DD/MM/YYYY",
            help="The date trust moves take effect (default: today).",
        )

    def run_import(self, path, options):
        return import_gias(source=path, as_of=options["as_of"], trust_uids=options["trust_uids"])
