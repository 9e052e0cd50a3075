"""Reads of the radar: what the coordinator can pick for an issue (the term's published
grant outcomes, upcoming CPD events, hub resources added this term), who receives it
(member leaders who have not opted out), and the archive."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from network.base import access
from network.base.models import Role, User
from network.programme import event_reads
from network.programme.connections.models import ProgrammePreference
from network.programme.grants.selectors import published_outcomes
from network.programme.hubs.models import HubResource
from network.programme.membership.models import Membership
from network.programme.radar.models import RadarIssue
from network.programme.terms import term_of

UPCOMING_DAYS = 90


def candidates(network, *, today: datetime.date | None = None) -> dict:
    """What an issue can carry, this term: outcomes published since the term began,
    events in the next three months, resources added since the term began."""
    today = today or timezone.localdate()
    term = term_of(today)
    now = timezone.now()
    start_of_term = timezone.make_aware(datetime.datetime.combine(term.starts_on, datetime.time.min))
    return {
        "term": term,
        "outcomes": list(published_outcomes(network=network, starts_on=term.starts_on, ends_on=today)),
        "events": list(event_reads.upcoming_events(network.pk, now, now + datetime.timedelta(days=UPCOMING_DAYS))),
        "resources": list(
            HubResource.objects.filter(hub__network=network, added_at__gte=start_of_term)
            .select_related("hub")
            .order_by("-added_at")
        ),
    }


def issue_content(issue: RadarIssue) -> dict:
    return {
        "outcomes": list(issue.outcomes.select_related("bid__academy").order_by("-published_at")),
        "events": list(event_reads.events_by_ids(issue.event_ids)),
        "resources": list(issue.resources.select_related("hub").order_by("-added_at")),
    }


def recipients(network, *, today: datetime.date | None = None):
    """(person id, email) of every member leader with a login: a science leader whose
    academy is an active member of `network` this year, unless they opted out."""
    today = today or timezone.localdate()
    members = Membership.objects.filter(
        academy_id=OuterRef("person__academy_id"),
        year__network=network,
        year__starts_on__lte=today,
        year__ends_on__gte=today,
        status=Membership.Status.ACTIVE,
    )
    opted_out = ProgrammePreference.objects.filter(person_id=OuterRef("person_id"), radar_opt_out=True)
    return (
        User.objects.filter(role=Role.LEADER, is_active=True, person__isnull=False)
        .filter(Exists(members))
        .exclude(Exists(opted_out))
        .order_by("person_id")
        .values_list("person_id", "email")
    )


def issues_for(user):
    issues = access.scoped(user, RadarIssue).select_related("network")
    if not user.is_coordinator:
        issues = issues.filter(status=RadarIssue.Status.SENT)
    return issues.order_by("-sent_at", "-created_at", "pk")


def issue_detail(user, pk: int) -> RadarIssue:
    return access.get_scoped_or_404(user, issues_for(user), pk=pk)
