"""Builders for the network programme's tests (issue 13): grant rounds, bids, reviews
and reports; hubs, resources and notes; connections; radar issues. The `b_*` builders
make trust B's objects for the access matrix (each returns URL kwargs)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from network.programme.connections.models import ConnectionRequest
from network.programme.grants.models import (
    GrantBid,
    GrantBudgetLine,
    GrantCriterion,
    GrantReport,
    GrantReview,
    GrantRound,
)
from network.programme.hubs.models import HubMembership, HubResource
from network.programme.models import Hub
from network.programme.radar.models import RadarIssue
from tests import factories as f


def grant_round(
    network, *, budget=Decimal("5000"), closes_in=30, criteria=(("Impact on pupils", 3), ("Feasibility", 1))
):
    today = timezone.localdate()
    grant_round, _ = GrantRound.objects.get_or_create(
        network=network,
        name="Innovation grants",
        defaults=dict(
            budget=budget,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=closes_in),
            midpoint_report_due_on=today + datetime.timedelta(days=120),
            final_report_due_on=today + datetime.timedelta(days=300),
        ),
    )
    for i, (name, weight) in enumerate(criteria):
        GrantCriterion.objects.get_or_create(round=grant_round, name=name, defaults={"weight": weight, "position": i})
    return grant_round


def member(academy, network):
    """Make `academy` an active member of `network` in the membership year of today."""
    today = timezone.localdate()
    start = today.year if today.month >= 4 else today.year - 1
    year = f.MembershipYearFactory(
        network=network,
        label=f"{start}-{(start + 1) % 100:02d}",
        starts_on=datetime.date(start, 4, 1),
        ends_on=datetime.date(start + 1, 3, 31),
        review_on=datetime.date(start + 1, 3, 1),
    )
    return f.MembershipFactory(year=year, academy=academy, trust=academy.trust)


def bid(grant_round, academy, lead, *, status="submitted", amount=Decimal("800"), endorsed=True, **extra):
    values = dict(
        round=grant_round,
        academy=academy,
        trust=academy.trust,
        lead=lead,
        title=extra.pop("title", "Practical science clubs for Year 7"),
        aims="More pupils doing practical work.",
        intended_impact="Year 7 confidence in practical work rises.",
        measurement="Pupil survey in October and June.",
        amount_requested=amount,
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        endorsed_at=timezone.now() if endorsed and status != "draft" else None,
        **extra,
    )
    made = GrantBid.objects.create(**values)
    GrantBudgetLine.objects.create(bid=made, description="Kit and consumables", amount=amount)
    return made


def reviewed(made_bid, reviewers, score=4):
    for reviewer in reviewers:
        criteria = list(made_bid.round.criteria.all())
        GrantReview.objects.create(
            bid=made_bid,
            reviewer=reviewer,
            scores={str(c.pk): score for c in criteria},
            weighted_score=Decimal(score * 20),
            comment="Clear and feasible.",
            submitted_at=timezone.now(),
        )
    return made_bid


def final_report(made_bid):
    return GrantReport.objects.create(
        bid=made_bid,
        kind="final",
        what_was_done="Weekly practical clubs for Year 7, run by two teachers.",
        what_changed="Confidence in practical work rose from 41% to 73% in the pupil survey.",
        published_at=timezone.now(),
    )


# -- Trust B's objects for the access matrix --------------------------------------------


def b_round(w):
    return {"pk": grant_round(w.network).pk}


def _b_bid(w, **kwargs):
    existing = GrantBid.objects.filter(academy=w.academy_b).first()
    return existing or bid(grant_round(w.network), w.academy_b, w.person_b, **kwargs)


def b_bid(w):
    return {"pk": _b_bid(w).pk}


def b_bid_report(w):
    made = _b_bid(w)
    GrantBid.objects.filter(pk=made.pk).update(status="awarded", amount_awarded=Decimal("800"))
    return {"pk": made.pk, "kind": "final"}


def b_review(w):
    made = _b_bid(w)
    reviewer = f.leader(f.AcademyFactory(trust=f.TrustFactory(name="Trust C")))
    return {"pk": GrantReview.objects.get_or_create(bid=made, reviewer=reviewer)[0].pk}


def b_published(w):
    made = _b_bid(w)
    GrantBid.objects.filter(pk=made.pk).update(status="awarded", amount_awarded=Decimal("800"))
    report = GrantReport.objects.filter(bid=made, kind="final").first() or final_report(made)
    return {"pk": report.pk}


def _b_hub(w, **kwargs):
    hub, created = Hub.objects.get_or_create(
        network=w.network, name="Trust B science hub", defaults={"lead": w.person_b, **kwargs}
    )
    if created:
        hub.academies.set([w.academy_b])
    return hub


def b_hub(w):
    return {"pk": _b_hub(w).pk}


def b_proposed_hub(w):
    hub = _b_hub(w)
    Hub.objects.filter(pk=hub.pk).update(status="proposed", proposed_by=w.person_b)
    return {"pk": hub.pk}


def b_hub_meeting(w):
    hub = _b_hub(w)
    event = f.EventFactory(network=w.network, hub=hub, kind="hub_meeting")
    return {"pk": hub.pk, "event_id": event.pk}


def b_hub_membership(w):
    hub = _b_hub(w)
    person = f.PersonFactory(academy=w.academy_b)
    return {"pk": HubMembership.objects.create(hub=hub, person=person).pk}


def b_resource(w):
    resource = HubResource(hub=_b_hub(w), title="Required practicals booklet", file_name="booklet.pdf", file_size=17)
    resource.file.save("booklet.pdf", ContentFile(b"%PDF-1.4 booklet"), save=True)
    return {"pk": resource.pk}


def b_person(w):
    return {"pk": w.person_b.pk}


def b_connection(w):
    asker = f.PersonFactory(academy=w.academy_b)
    other = f.PersonFactory(academy=w.academy_b)
    return {"pk": ConnectionRequest.objects.create(asker=asker, recipient=other, topic="Practicals").pk}


def b_radar(w):
    issue, _ = RadarIssue.objects.get_or_create(
        network=w.network, title="Innovation Radar, draft", defaults={"editorial": "Welcome to the radar."}
    )
    return {"pk": issue.pk}
