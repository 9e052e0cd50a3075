"""The demo's surveys and evidence log, relative to today, written through the impact
services so anonymity, the group rule and the confidence rule all hold.

- Each past event's evaluation: its attendees invited the hour after it ended, about
  seven in ten answering within a week (scores lean to "very useful", as real CPD
  evaluations do, with a tail), the rest reminded and silent. Keyed by event: an
  event's evaluation is written once, with it. The demo leader's latest event is left
  unanswered, so their home page has a survey waiting.
- The 3-month follow-up, with contribution answers, for the oldest past events. The
  demo's programme starts about three months back, so these invitations are dated
  ten days ago even where the event ended a little under three months before.
- A before/after pair for the "Physics for non-specialists" programme (named),
  answered by the series' attendees, most of whom grow more confident.
- An evidence log with claims at every confidence level (none, anecdotal,
  corroborated, triangulated), at the demo leader's and the demo executive's academies
  and others; one triangulated claim carries a survey result attached in one click.

Deterministic from the seed; `--scale` multiplies the claims and the pair's cohort
(evaluations grow with the events' attendance by themselves).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Attendance, Booking, Event
from impact.evidence import services as evidence_services
from impact.models import Claim, Survey, SurveyInvitation
from impact.surveys import selectors as survey_selectors
from impact.surveys.services import answering, building, dispatch
from network.base.models import User
from network.programme.models import Network
from trusts.models import Academy

PAIR_TITLE = "Physics for non-specialists programme"
PAIR_SERIES = "Physics for non-specialists"
ANSWER_RATE = 0.7
FOLLOW_UP_RATE = 0.55
# Weights of 1..5 on a scale question, by how people tend to answer it.
LEAN_HIGH = (3, 6, 18, 42, 31)
MIDDLING = (4, 12, 30, 38, 16)
CONTRIBUTION = (5, 18, 36, 30, 11)

NEXT_STEPS = [
    "Use the kit list with our technicians before every required practical.",
    "Let pupils plan the method for one practical each half-term.",
    "Try the particle-model sequence with Year 8.",
    "Share the write-up scaffold with the department.",
    "Start lessons with a retrieval quiz on the last practical.",
    "Model the first paragraph of a conclusion with the class.",
    "Use the misconceptions probe before teaching forces.",
]
IMPROVEMENTS = [
    "More time for questions at the end.",
    "Slides sent before the session, please.",
    "A worked example for KS3 as well as GCSE.",
    "",
    "Shorter introduction.",
]
CHANGES = [
    "Pupils now plan their own method before we run a required practical.",
    "I use the network's write-up scaffold with every GCSE class.",
    "Our KS3 forces unit has been resequenced around the model from the webinar.",
    "We run a technician briefing before each practical, so fewer lessons lose time.",
    "I model conclusions live instead of handing out a writing frame.",
    "Not much yet: timetable pressures this term.",
]
EXAMPLES = [
    "Year 9 rates of reaction: pupils chose the variables and the write-ups were far fuller.",
    "A Year 10 set compared two methods for specific heat capacity and explained the difference.",
    "",
    "Department meeting: we moderated write-ups together using the scaffold.",
]

# (statement, Guskey level, source types in the order they were gathered)
CLAIMS = [
    ("Year 9 required-practical write-ups improved", 5, ["teacher_voice", "work_scrutiny", "survey_result", "lesson_observation"]),
    ("Pupils plan their own investigations in KS3", 4, ["teacher_voice", "lesson_observation", "pupil_voice", "progress_data"]),
    ("Non-specialists teach forces with more confidence", 2, ["survey_result", "teacher_voice"]),
    ("Technicians are briefed before every practical", 3, ["teacher_voice", "visit_report", "lesson_observation"]),
    ("More pupils choose triple science", 5, ["attendance_data"]),
    ("Disciplinary vocabulary is taught explicitly in Year 7", 4, ["lesson_observation"]),
    ("ECT mentors observe practical lessons each half-term", 3, []),
    ("GCSE chemistry mock results rose in the modelling topics", 5, ["progress_data", "teacher_voice"]),
]  # fmt: skip
SUMMARIES = {
    "teacher_voice": "The head of science reports the change in the department meeting and in their own lessons.",
    "lesson_observation": "Two lessons observed: pupils working as the claim describes, most of the time.",
    "pupil_voice": "A pupil panel of eight described the change unprompted.",
    "progress_data": "The department's assessment data for the classes concerned, against last year's cohort.",
    "visit_report": "The network visit found the practice in place and noted it in its report.",
    "work_scrutiny": "A sample of twelve books from three classes, scrutinised against last year's.",
    "attendance_data": "Option choices and attendance at the science club, compared with two years ago.",
    "survey_result": "The network's survey of the staff who attended.",
}


@dataclass
class SurveysSummary:
    created: dict = field(default_factory=dict)


def _weighted(rng: random.Random, weights) -> int:
    return rng.choices(range(1, 6), weights=weights)[0]


class SurveySeeder:
    def __init__(
        self, *, network: Network, seed: int, scale: int, today: datetime.date, coordinator, executive, leader
    ):
        self.network, self.seed, self.scale, self.today = network, seed, scale, today
        self.coordinator, self.executive, self.leader = coordinator, executive, leader
        self.now = timezone.now()
        self.summary = SurveysSummary()
        self.pending = []

    def _count(self, what: str, n: int):
        if n:
            self.summary.created[what] = self.summary.created.get(what, 0) + n

    def write(self) -> SurveysSummary:
        building.builtin_surveys_ensure(network=self.network, by=self.coordinator)
        self.evaluation = Survey.objects.get(network=self.network, builtin=True, kind=Survey.Kind.EVALUATION)
        self.follow_up = Survey.objects.get(
            network=self.network, builtin=True, kind=Survey.Kind.FOLLOW_UP, follow_up_months=3
        )
        for part in (self._evaluations, self._follow_ups, self._pre_post):
            part()
            self._flush()
        self._evidence()
        return self.summary

    # -- Invitations and answers -------------------------------------------------------

    def _invite(self, survey, bookings, *, at) -> list[SurveyInvitation]:
        made = [dispatch.build_invitation(survey, b.person, now=at, event=b.event, booking=b) for b in bookings]
        for invitation in made:
            invitation.invited_at = at
            if at + dispatch.REMINDER_AFTER <= self.now:
                invitation.reminded_at = at + dispatch.REMINDER_AFTER
        SurveyInvitation.objects.bulk_create(made, ignore_conflicts=True)
        return list(
            SurveyInvitation.objects.filter(
                survey=survey, event=bookings[0].event, person__in=[b.person for b in bookings]
            )
            .select_related("survey", "event", "person")
            .order_by("person__email")
        )

    def _submit(self, invitation, values: dict, at) -> None:
        """Queue one answer; `_flush` stores them many at once (`responses_import`, the
        bulk form of the answering service, with the same rules)."""
        self.pending.append((invitation, values, min(at, self.now)))

    def _flush(self) -> None:
        self._count("survey answers", answering.responses_import(entries=self.pending))
        self.pending = []

    def _attended(self, event) -> list[Booking]:
        return list(
            Booking.objects.filter(event=event, status=Booking.Status.CONFIRMED, attendance__attended=True)
            .select_related("person__academy", "event")
            .order_by("person__email")
        )

    def _evaluations(self):
        done = set(SurveyInvitation.objects.filter(survey=self.evaluation).values_list("event_id", flat=True))
        past = Event.objects.filter(network=self.network, ends_at__lte=self.now, status=Event.Status.SCHEDULED)
        questions = {q.key: q for q in answering.questions_of(self.evaluation)}
        leader_person = self.leader.person_id if self.leader else None
        leader_latest = (
            Attendance.objects.filter(booking__person_id=leader_person, attended=True, booking__event__in=past)
            .order_by("-booking__event__ends_at")
            .values_list("booking__event_id", flat=True)
            .first()
        )
        for event in past.exclude(pk__in=done).order_by("ends_at"):
            bookings = self._attended(event)
            if not bookings:
                continue
            Booking.objects.filter(pk__in=[b.pk for b in bookings], survey_due_at__isnull=True).update(
                survey_due_at=event.ends_at
            )
            at = event.ends_at + datetime.timedelta(hours=1)
            if event.pk == leader_latest:
                at = max(at, self.now - datetime.timedelta(days=2))  # still open on the leader's home page
            invitations = self._invite(self.evaluation, bookings, at=at)
            self._count("survey invitations", len(invitations))
            rng = random.Random(f"{self.seed}:evaluation:{event.title}:{event.starts_at.isoformat()}")
            for invitation in invitations:
                if invitation.person_id == leader_person and event.pk == leader_latest:
                    continue
                if rng.random() > ANSWER_RATE:
                    continue
                useful = _weighted(rng, LEAN_HIGH)
                values = {
                    questions["impact"].pk: useful,
                    questions["relevance"].pk: max(1, min(5, useful + rng.choice((-1, 0, 0, 1)))),
                    questions["confidence"].pk: _weighted(rng, MIDDLING),
                    questions["attendance"].pk: rng.choices(questions["attendance"].choices, weights=(80, 15, 5))[0],
                    questions["next-step"].pk: rng.choice(NEXT_STEPS),
                    questions["improve"].pk: rng.choice(IMPROVEMENTS),
                }
                self._submit(invitation, values, at + datetime.timedelta(hours=rng.randint(2, 150)))

    def _follow_ups(self):
        if SurveyInvitation.objects.filter(survey=self.follow_up).exists():
            return
        oldest = Event.objects.filter(
            network=self.network, status=Event.Status.SCHEDULED, ends_at__lte=self.now - datetime.timedelta(days=70)
        ).order_by("ends_at")
        questions = {q.key: q for q in answering.questions_of(self.follow_up)}
        at = self.now - datetime.timedelta(days=10)
        for event in oldest:
            bookings = self._attended(event)
            if not bookings:
                continue
            invitations = self._invite(self.follow_up, bookings, at=at)
            self._count("survey invitations", len(invitations))
            rng = random.Random(f"{self.seed}:follow-up:{event.title}:{event.starts_at.isoformat()}")
            for invitation in invitations:
                if rng.random() > FOLLOW_UP_RATE:
                    continue
                values = {
                    questions["change"].pk: rng.choice(CHANGES),
                    questions["contribution"].pk: _weighted(rng, CONTRIBUTION),
                    questions["example"].pk: rng.choice(EXAMPLES),
                }
                self._submit(invitation, values, at + datetime.timedelta(days=rng.randint(0, 8)))

    def _pre_post(self):
        if Survey.objects.filter(network=self.network, title__startswith=PAIR_TITLE).exists():
            return
        post = building.survey_create(network=self.network, starter="pre_post", title=PAIR_TITLE, by=self.coordinator)
        pre = post.pair
        for survey in (pre, post):
            building.survey_open(survey=survey, by=self.coordinator)
        self._count("surveys", 2)
        cohort = list(
            Booking.objects.filter(
                event__network=self.network, event__series=PAIR_SERIES, status=Booking.Status.CONFIRMED
            )
            .exclude(attendance__attended=False)
            .values_list("person_id", flat=True)
            .distinct()
            .order_by("person_id")[: 24 * self.scale]
        )
        people = {p.pk: p for p in dispatch.audience(pre, kind="members") if p.pk in set(cohort)}
        if len(people) < 8:  # a programme with few attendees so far: the members' leads join it
            people.update({p.pk: p for p in dispatch.audience(pre, kind="members")[: 24 * self.scale]})
        rng = random.Random(f"{self.seed}:pre-post")
        before_at, after_at = self.now - datetime.timedelta(days=40), self.now - datetime.timedelta(days=6)
        pre_questions = answering.questions_of(pre)
        post_questions = {q.key: q for q in answering.questions_of(post)}
        for person in sorted(people.values(), key=lambda p: p.email):
            self._count("survey invitations", 2)
            pre_invitation = self._invitation(pre, person, before_at)
            before = {q.key: (rng.randint(1, 3) if q.kind == "likert" else rng.randint(0, 3)) for q in pre_questions}
            self._submit(
                pre_invitation, {q.pk: before[q.key] for q in pre_questions}, before_at + datetime.timedelta(days=1)
            )
            post_invitation = self._invitation(post, person, after_at)
            if rng.random() < 0.15:
                continue  # has not answered the 'after' survey yet
            after = {
                key: max(1, min(5, value + rng.choice((-1, 0, 1, 1, 2)))) if post_questions[key].kind == "likert"
                else value + rng.randint(0, 3)
                for key, value in before.items()
            }  # fmt: skip
            self._submit(
                post_invitation,
                {post_questions[k].pk: v for k, v in after.items()},
                after_at + datetime.timedelta(days=1),
            )

    def _invitation(self, survey, person, at) -> SurveyInvitation:
        invitation = dispatch.build_invitation(survey, person, now=at)
        invitation.invited_at = at
        invitation.save()
        return invitation

    # -- The evidence log ----------------------------------------------------------------

    def _evidence(self):
        academies = self._claim_academies()
        existing = set(Claim.objects.filter(academy__in=academies).values_list("academy_id", "statement"))
        series = list(
            Event.objects.filter(network=self.network)
            .exclude(series="")
            .values_list("series", flat=True)
            .distinct()
            .order_by("series")
        )
        hubs = list(self.network.hubs.order_by("name"))
        rng = random.Random(f"{self.seed}:evidence")
        attached = False
        for n in range(len(CLAIMS) * self.scale):
            statement, level, sources = CLAIMS[n % len(CLAIMS)]
            academy = academies[n % len(academies)]
            if (academy.pk, statement) in existing:
                continue
            by = self._recorder(academy)
            on_hub = n % 3 == 2 and hubs
            cpd_on = self.today - datetime.timedelta(days=rng.randint(120, 330))
            claim = evidence_services.claim_create(
                academy=academy,
                statement=statement,
                initiative_kind="hub" if on_hub else "event_series",
                hub=hubs[n % len(hubs)] if on_hub else None,
                event_series="" if on_hub or not series else series[n % len(series)],
                initiative_label="" if series or on_hub else "Network CPD",
                guskey_level=level,
                cpd_on=cpd_on,
                by=by,
            )
            self._count("evidence claims", 1)
            span = (self.today - cpd_on).days
            for i, source in enumerate(sources):
                if source == "survey_result" and not attached:
                    attached = self._attach_survey(claim)
                    if attached:
                        self._count("evidence items", 1)
                        continue
                observed = cpd_on + datetime.timedelta(days=min(span, 45 + i * span // max(len(sources), 1)))
                evidence_services.evidence_add(
                    claim=claim, source_type=source, observed_on=observed, summary=SUMMARIES[source], by=by
                )
                self._count("evidence items", 1)

    def _claim_academies(self) -> list[Academy]:
        first = []
        if self.leader and self.leader.person_id and self.leader.person.academy_id:
            first.append(self.leader.person.academy)
        if self.executive:
            first.extend(
                Academy.objects.filter(trust__in=self.executive.trusts.all(), is_open=True).order_by("urn")[:2]
            )
        others = (
            Academy.objects.filter(trust__in=self.network.member_trusts.all(), is_open=True)
            .exclude(pk__in=[a.pk for a in first])
            .order_by("urn")
        )
        return first + list(others[: 3 * self.scale])

    def _recorder(self, academy) -> User:
        if self.leader and self.leader.person_id and self.leader.person.academy_id == academy.pk:
            return self.leader
        if self.executive and self.executive.trusts.filter(pk=academy.trust_id).exists():
            return self.executive
        return self.coordinator

    def _attach_survey(self, claim) -> bool:
        results = survey_selectors.results(self.coordinator, self.evaluation, survey_selectors.Filters())
        if results.hidden or not results.responses:
            return False
        evidence_services.survey_result_attach(
            claim=claim, survey=self.evaluation, results=results, by=self.coordinator
        )
        return True


def counts(network: Network) -> dict[str, int]:
    """Survey and evidence figures for the command's summary."""
    invitations = SurveyInvitation.objects.filter(survey__network=network).aggregate(
        all=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    return {
        "Survey invitations": invitations["all"],
        "  answered": invitations["answered"],
        "Evidence claims": Claim.objects.filter(academy__trust__in=network.member_trusts.all()).count(),
    }
