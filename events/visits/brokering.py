"""Brokering: for a request, hosts or visitors ranked by fit, each with its reasons.

- A request to *see practice* gets host academies; a request to *be visited* gets
  visitors (people). Never the requester's own academy (nor its people as visitors).
- Fit, in points (a suggestion shows each reason it earned):
  each focus area matched by someone's expertise +3; a consultant headteacher +3 (on a
  consultant or moderation visit; +1 otherwise); an SLE or Lead Practitioner +2; the
  latest Ofsted grade Outstanding +3 (Good +1); Progress 8 at or above the 90th national
  percentile +3 (75th +2) in the latest year published; each agreed visit report on one
  of the focus areas +2 (up to three); another trust than the requester's +2, so the
  network's practice travels.
- Fairness: anyone already at the policy's cap for the term is left out (and counted,
  so the page can say so).

A fixed number of queries whatever the network's size; the scoring is plain Python."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from events.visits.models import Visit, VisitKind, VisitReport, VisitVisitor
from events.visits.policy import policy_for
from events.visits.terms import Term, term_containing
from trusts.models import Academy, Inspection, PerformanceResult, Person

CONSULTANT_HEAD = "Consultant headteacher"
STRONG_DESIGNATIONS = ("Specialist Leader of Education (SLE)", "Lead Practitioner")
GRADE_POINTS = {1: 3, 2: 1}


@dataclass
class Suggestion:
    academy: Academy | None
    person: Person | None = None
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)


@dataclass
class Suggestions:
    wanted: str  # "host" or "visitors"
    items: list[Suggestion]
    left_out_at_cap: int
    term: Term


def _evidence(academy_ids) -> tuple[dict, dict]:
    """Latest inspection and latest published Progress 8 percentile per academy."""
    inspections, results = {}, {}
    for academy_id, grade, day in (
        Inspection.objects.filter(academy_id__in=academy_ids)
        .order_by("academy_id", "-inspection_date")
        .values_list("academy_id", "grade", "inspection_date")
    ):
        inspections.setdefault(academy_id, (grade, day))
    for academy_id, year, percentile in (
        PerformanceResult.objects.filter(academy_id__in=academy_ids, percentile__isnull=False)
        .order_by("academy_id", "-academic_year")
        .values_list("academy_id", "academic_year", "percentile")
    ):
        results.setdefault(academy_id, (year, percentile))
    return inspections, results


def _score_evidence(s: Suggestion, academy_id, inspections, results) -> None:
    grade, day = inspections.get(academy_id, (None, None))
    if grade in GRADE_POINTS:
        label = Inspection.Grade(grade).label
        s.add(GRADE_POINTS[grade], f"Ofsted: {label} ({day:%d/%m/%Y})")
    year, percentile = results.get(academy_id, (None, None))
    if percentile is not None and percentile >= 75:
        s.add(3 if percentile >= 90 else 2, f"Progress 8 at the {int(percentile)}th percentile nationally ({year})")


def _focus_names(visit) -> dict[int, str]:
    return {t.pk: t.name for t in visit.focus_areas.all()}


def _requester_trust(visit) -> int | None:
    academy_id = visit.requester_academy_id
    if academy_id is None:
        return None
    return Academy.objects.filter(pk=academy_id).values_list("trust_id", flat=True).first()


def suggestions(visit: Visit, *, limit: int = 8, today: datetime.date | None = None) -> Suggestions:
    """Ranked suggestions for a request (see the module's rules)."""
    today = today or timezone.localdate()
    day = timezone.localtime(visit.starts_at).date() if visit.starts_at else today
    term = term_containing(day)
    if visit.direction == Visit.Direction.SEE:
        return _hosts(visit, term=term, limit=limit)
    return _visitors(visit, term=term, limit=limit)


def _term_visits(term: Term, visit: Visit):
    start, end = term.bounds()
    return Visit.objects.filter(status__in=Visit.ON_THE_DIARY, starts_at__gte=start, starts_at__lt=end).exclude(
        pk=visit.pk
    )


def _hosts(visit: Visit, *, term: Term, limit: int) -> Suggestions:
    policy = policy_for(visit.network)
    focus = _focus_names(visit)
    own_trust = _requester_trust(visit)
    academies = {
        a.pk: a
        for a in Academy.objects.filter(trust__networks=visit.network, is_open=True)
        .exclude(pk=visit.requester_academy_id)
        .select_related("trust")
    }
    ids = list(academies)
    experts = defaultdict(set)  # academy -> focus tag names someone there has
    for academy_id, tag_id in Person.expertise.through.objects.filter(
        person__academy_id__in=ids, expertisetag_id__in=focus
    ).values_list("person__academy_id", "expertisetag_id"):
        experts[academy_id].add(focus[tag_id])
    designated = dict(
        Person.objects.filter(academy_id__in=ids, designations__name__in=STRONG_DESIGNATIONS)
        .values("academy_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("academy_id", "n")
    )
    past = dict(
        Visit.objects.filter(host_academy_id__in=ids, report__status=VisitReport.Status.AGREED, focus_areas__in=focus)
        .values("host_academy_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("host_academy_id", "n")
    )
    load = dict(
        _term_visits(term, visit)
        .filter(host_academy_id__in=ids)
        .values("host_academy_id")
        .annotate(n=Count("pk"))
        .values_list("host_academy_id", "n")
    )
    inspections, results = _evidence(ids)
    items, capped = [], 0
    for pk, academy in academies.items():
        if load.get(pk, 0) >= policy.host_cap_per_term:
            capped += 1
            continue
        s = Suggestion(academy=academy)
        for name in sorted(experts[pk]):
            s.add(3, f"Expertise in {name}")
        if designated.get(pk):
            s.add(2, f"{designated[pk]} SLE or Lead Practitioner{'s' if designated[pk] > 1 else ''}")
        _score_evidence(s, pk, inspections, results)
        if past.get(pk):
            n = min(past[pk], 3)
            s.add(2 * n, f"Hosted {past[pk]} visit{'s' if past[pk] > 1 else ''} on these focus areas (report agreed)")
        if own_trust and academy.trust_id != own_trust:
            s.add(2, "Another trust")
        if s.score:
            items.append(s)
    items.sort(key=lambda s: (-s.score, s.academy.name))
    return Suggestions(wanted="host", items=items[:limit], left_out_at_cap=capped, term=term)


def _visitors(visit: Visit, *, term: Term, limit: int) -> Suggestions:
    policy = policy_for(visit.network)
    focus = _focus_names(visit)
    own_trust = _requester_trust(visit)
    consultant_kind = visit.kind.code in (VisitKind.Code.CONSULTANT, VisitKind.Code.MODERATION, VisitKind.Code.EXTRA)
    in_network = Q(academy__trust__networks=visit.network) | Q(academy__isnull=True, trust__networks=visit.network)
    independent = Q(academy__isnull=True, trust__isnull=True, designations__name=CONSULTANT_HEAD)
    relevant = (
        Q(expertise__in=focus)
        | Q(designations__name__in=(*STRONG_DESIGNATIONS, CONSULTANT_HEAD))
        | Q(
            visit_assignments__visit__report__status=VisitReport.Status.AGREED,
            visit_assignments__visit__focus_areas__in=focus,
        )
    )
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=Person.objects.filter((in_network | independent) & relevant).values("pk"))
        .exclude(academy_id=visit.host_academy_id)
        .select_related("academy__trust", "trust")
        .prefetch_related("designations")
    }
    ids = list(people)
    expertise = defaultdict(set)
    for person_id, tag_id in Person.expertise.through.objects.filter(
        person_id__in=ids, expertisetag_id__in=focus
    ).values_list("person_id", "expertisetag_id"):
        expertise[person_id].add(focus[tag_id])
    past = dict(
        VisitVisitor.objects.filter(
            person_id__in=ids, visit__report__status=VisitReport.Status.AGREED, visit__focus_areas__in=focus
        )
        .values("person_id")
        .annotate(n=Count("visit", distinct=True))
        .values_list("person_id", "n")
    )
    load = dict(
        VisitVisitor.objects.filter(person_id__in=ids, visit__in=_term_visits(term, visit))
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    inspections, results = _evidence({p.academy_id for p in people.values() if p.academy_id})
    items, capped = [], 0
    for pk, person in people.items():
        if load.get(pk, 0) >= policy.visitor_cap_per_term:
            capped += 1
            continue
        s = Suggestion(academy=person.academy, person=person)
        for name in sorted(expertise[pk]):
            s.add(3, f"Expertise in {name}")
        for d in sorted(d.name for d in person.designations.all()):
            if d == CONSULTANT_HEAD:
                s.add(3 if consultant_kind else 1, CONSULTANT_HEAD)
            elif d in STRONG_DESIGNATIONS:
                s.add(2, d)
        if person.academy_id:
            _score_evidence(s, person.academy_id, inspections, results)
        if past.get(pk):
            n = min(past[pk], 3)
            s.add(2 * n, f"Wrote {past[pk]} agreed visit report{'s' if past[pk] > 1 else ''} on these focus areas")
        trust_id = person.academy.trust_id if person.academy_id else person.trust_id
        if own_trust and trust_id != own_trust:
            s.add(2, "Another trust" if trust_id else "Independent of any trust")
        if s.score:
            items.append(s)
    items.sort(key=lambda s: (-s.score, s.person.last_name, s.person.first_name))
    return Suggestions(wanted="visitors", items=items[:limit], left_out_at_cap=capped, term=term)
