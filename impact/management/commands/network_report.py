"""python manage.py network_report --network ssn --year 2024-25 [--format json|html|pdf] [--output FILE]

The network's annual report, from the records, as the coordinators' page downloads it."""

import sys

from django.core.management.base import BaseCommand, CommandError

from impact.dashboards import periods
from impact.report import renderers
from impact.report.selectors import annual_report
from network.programme.models import Network


class Command(BaseCommand):
    help = "Write a network's annual report (JSON, HTML or PDF) computed from the records."

    def add_arguments(self, parser):
        parser.add_argument("--network", required=True, help="The network's slug, e.g. ssn.")
        parser.add_argument("--year", required=True, help="The year, e.g. 2024-25.")
        parser.add_argument(
            "--year-kind",
            choices=[periods.MEMBERSHIP, periods.ACADEMIC],
            default=periods.MEMBERSHIP,
            help="Count by the membership year (1 April – 31 March, the default) or the academic year.",
        )
        parser.add_argument("--format", choices=sorted(renderers.FORMATS), default="json")
        parser.add_argument("--output", help="File to write (default: standard output; a PDF needs a file).")

    def handle(self, *args, network, year, year_kind, format, output, **options):
        found = Network.objects.filter(slug=network).first()
        if found is None:
            known = ", ".join(Network.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"No network '{network}'. Networks: {known}.")
        try:
            report = annual_report(found, year, kind=year_kind)
        except ValueError as error:
            raise CommandError(str(error)) from None
        content = renderers.render(report, format)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
        elif format == "pdf":
            raise CommandError("A PDF needs --output FILE.")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
