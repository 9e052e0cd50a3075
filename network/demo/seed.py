"""Build a demo network shaped like the Secondary Science Network, with fictional names.

    python manage.py seed_demo            # 10 trusts, ~125 academies, ~110,000 pupils
    python manage.py seed_demo --scale 10 # ten times the trusts, academies and people

Two halves, so both properties hold by construction:

- *planning* is pure Python driven by `random.Random`: the same seed plans the same
  network, byte for byte. Data is planned in blocks of ten trusts, each block with its
  own generator, so `--scale 10` starts with exactly the `--scale 1` network;
- *writing* looks up the natural keys already present (trust GIAS UID, academy URN,
  person email, hub name, user email) and bulk-creates only what is missing, in one
  transaction. A second run plans, finds everything there and writes nothing. An
  academy's memberships, inspections and results are created with the academy, never
  added to one that exists (which a coordinator may since have edited).

Then, relative to today, the membership year (`network.demo.membership`: the policy,
last year, this year, next year) and the CPD programme of three months either side
(`network.demo.events`: events, bookings, waitlists, approvals, attendance), each keyed
the same way and written with its year or event. Their services queue emails to
fictional people; the seed writes them inside `network.base.outbox.held(...)`, so they stay
in the outbox as "held" (readable in the admin) and none is handed to the broker or sent.

Names of trusts, academies and people are made up; local authorities are real, so the
regional picture reads true.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from network.base import changes, outbox
from network.base.models import OutboxMessage, User
from network.demo import events as demo_events
from network.demo import history as demo_history
from network.demo import impact as demo_impact
from network.demo import membership as demo_membership
from network.demo import mfa as demo_mfa
from network.demo import programme as demo_programme  # issue 13
from network.demo import surveys as demo_surveys
from network.demo import visits as demo_visits
from network.demo.plan import plan_network
from network.demo.vocabulary import DEFAULT_SEED, DEMO_PASSWORD, DEMO_USERS
from network.demo.write import Writer
from trusts.models import (
    Academy,
    Person,
)

NOT_SENT = "Not sent: written by seed_demo with the demo data."


class Command(BaseCommand):
    help = "Build (or top up) a demo network shaped like the Secondary Science Network. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply trusts, academies and people (default 1).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same network).")

    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        started = time.perf_counter()
        today = timezone.localdate()
        plan = plan_network(seed=seed, scale=scale)
        writer = Writer(plan)
        held_before = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count()
        with outbox.held(NOT_SENT), transaction.atomic():
            network = writer.write()
            logins = {
                u.email: u for u in User.objects.filter(email__in=[e for e, _ in DEMO_USERS]).select_related("person")
            }
            coordinator, executive, leader = (logins.get(email) for email, _ in DEMO_USERS[:3])
            if enrolled := demo_mfa.enrol([coordinator, executive]):
                writer.created["demo two-step sign-ins"] = enrolled
            membership = demo_membership.MembershipSeeder(
                network=network, seed=seed, today=today, coordinator=coordinator, executive=executive, leader=leader
            ).write()
            programme = demo_events.EventSeeder(
                network=network, seed=seed, today=today, coordinator=coordinator, leader=leader
            ).write()
            # Visits (events/visits): annual visits, reports, actions, peer and one-off visits.
            visits = demo_visits.VisitSeeder(
                network=network, seed=seed, scale=scale, today=today, coordinator=coordinator, leader=leader,
                visitor=logins.get("visitor@demo.network"),
            ).write()  # fmt: skip
            # -- Speed (issue 14): years of history at --scale 10 and more ----------------
            history = demo_history.HistorySeeder(
                network=network, seed=seed, scale=scale, today=today, coordinator=coordinator,
                executive=executive, leader=leader,
            ).write()  # fmt: skip
            # -- Impact: surveys and the evidence log (issue 11) --------------------------
            impact_surveys = demo_surveys.SurveySeeder(
                network=network,
                seed=seed,
                scale=scale,
                today=today,
                coordinator=coordinator,
                executive=executive,
                leader=leader,
            ).write()
            # -- end of impact: surveys and the evidence log ------------------------------
            # -- The network programme (issue 13): grants, roles, hubs, connections, the radar.
            network_programme = demo_programme.ProgrammeSeeder(
                network=network, seed=seed, today=today, coordinator=coordinator, executive=executive, leader=leader
            ).write()
            # -- Impact: objectives and the six-lens review (issue 12) --
            impact = demo_impact.ImpactSeeder(network=network, today=today, coordinator=coordinator).write()
            # The writers fill link tables and many rows in bulk, which send no signal:
            # whatever was remembered from the records before is computed afresh.
            changes.records_changed()
        elapsed = time.perf_counter() - started
        kept = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count() - held_before

        created = {**writer.created}
        for part in (
            membership.created,
            programme.created,
            visits.created,
            history,
            impact_surveys.created,
            network_programme.created,
            impact.created,
        ):
            for what, n in part.items():
                created[what] = created.get(what, 0) + n
        if writer.erased:
            self.stdout.write(f"Left out {len(writer.erased)} demo people or logins whose personal data was erased.")
        if created:
            made = ", ".join(f"{n} {what}" for what, n in created.items())
            note = f" ({kept} emails kept in the outbox as not sent)" if kept else ""
            self.stdout.write(self.style.SUCCESS(f"Created {made} in {elapsed:.1f}s{note}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Nothing to create: the demo network is already there ({elapsed:.1f}s).")
            )
        self._print_counts(network, membership.labels)
        self._print_logins(plan)

    def _print_counts(self, network, labels):
        trusts = network.member_trusts.all()
        academies = Academy.objects.filter(trust__in=trusts, is_open=True)
        pupils = academies.aggregate(total=Sum("pupils_on_roll"))["total"] or 0
        people = Person.objects.filter(trust__in=trusts)
        rows = [
            ("Trusts", trusts.count()),
            ("Academies", academies.count()),
            ("Pupils", pupils),
            ("People", people.count()),
            ("In the directory", people.filter(directory_consent=True).count()),
            ("Hubs", network.hubs.count()),
            *demo_membership.counts(network, labels).items(),
            *demo_events.counts(network, timezone.now()).items(),
            *demo_surveys.counts(network).items(),  # impact: surveys and evidence (issue 11)
            *demo_programme.counts(network).items(),  # issue 13
            *demo_impact.counts(network).items(),
            *demo_visits.counts(network).items(),
        ]
        self.stdout.write(f"\n{network.name} ({timezone.localdate():%d/%m/%Y})")
        for label, n in rows:
            self.stdout.write(f"  {label:<17}{n:>9,}")

    def _print_logins(self, plan):
        trust = plan.trusts[0].name
        leader = next(p for p in plan.people if p.email == plan.leader_email)
        academy = next(a.name for a in plan.academies if a.urn == leader.academy_urn)
        rows = [
            ("Email", "Password", "Role", "What they see"),
            ("coordinator@demo.network", DEMO_PASSWORD, "Network coordinator",
             "the whole network; the admin back office (coordinators group, not a superuser)"),
            ("ceo@demo.network", DEMO_PASSWORD, "Trust executive",
             f"{trust} only: its academies, people, memberships, CPD participation"),
            ("leader@demo.network", DEMO_PASSWORD, "Science leader",
             f"{academy} (head of science): own academy, hubs, bookings, CPD record, approvals; the directory"),
            ("visitor@demo.network", DEMO_PASSWORD, "Visitor / consultant",
             "their assigned visits, the CPD programme, certificate checks (no trust: no directory)"),
        ]  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("\nDemo logins (sign in at /accounts/login/):")
        for i, row in enumerate(rows):
            self.stdout.write("  " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "-+-".join("-" * w for w in widths))
        self.stdout.write(
            "\nCoordinators and trust executives must use two-step sign-in: after the password, the coordinator "
            "and ceo logins ask for a code. Get it with `make demo-code` (manage.py demo_code), or add the key "
            f"{demo_mfa.DEMO_TOTP_SECRET} to an authenticator app."
        )
