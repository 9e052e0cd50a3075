"""Run a network's annual eligibility review on demand (the sweep does the same on the
review date). Once per network and year: a second run prints the first one's proposals.

    python manage.py run_annual_review --network ssn --year 2025-26 [--dry-run] [--format json]
"""

import json

from django.core.management.base import BaseCommand, CommandError

from network.programme.membership import review
from network.programme.membership.models import Outcome, ReviewRun, year_start
from network.programme.models import Network


class Command(BaseCommand):
    help = "Run the annual eligibility review of a network's membership year and print each academy's outcome."

    def add_arguments(self, parser):
        parser.add_argument("--network", required=True, help="The network's slug, e.g. ssn.")
        parser.add_argument("--year", required=True, help="The membership year reviewed, e.g. 2025-26.")
        parser.add_argument("--dry-run", action="store_true", help="Print the outcomes without saving anything.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the slug '{options['network']}'.")
        try:
            year_start(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        label = options["year"]
        if options["dry_run"]:
            rows = [
                {
                    "urn": p.academy.urn,
                    "academy": p.academy.name,
                    "trust": p.academy.trust.name if p.academy.trust else None,
                    "member": p.membership is not None,
                    "outcome": p.assessment.outcome,
                    "reasons": list(p.assessment.reasons),
                    "evidence": p.assessment.evidence,
                }
                for p in review.review_preview(network=network, label=label)
            ]
            header = {"network": network.slug, "year": label, "dry_run": True, "created": False, "run": None}
        else:
            run, created = review.review_run(network=network, label=label, trigger=ReviewRun.Trigger.COMMAND)
            rows = [
                {
                    "urn": p.academy.urn,
                    "academy": p.academy.name,
                    "trust": p.trust.name if p.trust else None,
                    "member": p.membership_id is not None,
                    "outcome": p.final_outcome,
                    "reasons": p.reasons,
                    "evidence": p.evidence,
                    "confirmed": p.is_confirmed,
                }
                for p in run.proposals.select_related("academy", "trust").order_by("academy__name", "pk")
            ]
            header = {
                "network": network.slug,
                "year": label,
                "dry_run": False,
                "created": created,
                "run": run.pk,
                "started_at": run.started_at.isoformat(),
            }
        if options["format"] == "json":
            self.stdout.write(json.dumps({**header, "proposals": rows}, indent=2, ensure_ascii=False))
            return
        if header["dry_run"]:
            self.stdout.write(f"Dry run of the {network.name} review of {label}: nothing is saved.")
        elif header["created"]:
            self.stdout.write(
                f"The {network.name} review of {label} has run. Confirm its proposals on the review page."
            )
        else:
            self.stdout.write(
                f"The {network.name} review of {label} already ran on {header['started_at'][:10]}; its proposals:"
            )
        for row in rows:
            self.stdout.write("")
            self.stdout.write(f"{row['academy']} (URN {row['urn']}): {Outcome(row['outcome']).label}")
            for reason in row["reasons"]:
                self.stdout.write(f"  - {reason}")
        counts = {}
        for row in rows:
            counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
        self.stdout.write("")
        self.stdout.write(
            "Summary: " + (", ".join(f"{Outcome(k).label}: {v}" for k, v in sorted(counts.items())) or "no academies")
        )
