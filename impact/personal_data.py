"""What the impact room holds about a person, for "Download my data", and what erasure
does here. Anonymous answers hold nothing about anyone, so they are neither exported
nor erased (they cannot be found). A person's invitations say which surveys they were
asked and whether they answered; a named survey's answers are theirs and exported."""

from django.utils import timezone

from impact.evidence.models import Claim, EvidenceItem
from impact.surveys.models import Survey, SurveyInvitation
from network.base.personal_data import Section


def _surveys(user, person) -> list[dict]:
    if person is None:
        return []
    invitations = (
        SurveyInvitation.objects.filter(person=person)
        .select_related("survey", "event", "response")
        .prefetch_related("response__answers__question")
        .order_by("created_at")
    )
    return [
        {
            "survey": i.survey.title,
            "event": i.event.title if i.event else None,
            "invited_at": timezone.localtime(i.invited_at) if i.invited_at else None,
            "answered_at": timezone.localtime(i.answered_at) if i.answered_at else None,
            "anonymous": i.anonymous,
            "answers_saved_so_far": i.draft or None,
            "answers": [
                {"question": a.question.text, "answer": a.number if a.number is not None else (a.choices or a.text)}
                for a in i.response.answers.all()
            ]
            if i.response
            else None,
        }
        for i in invitations
    ]


def erase_survey_drafts(person, erasure=None) -> None:
    """Half-finished answers are the person's alone: erasure empties them, and their
    open links stop working."""
    SurveyInvitation.objects.filter(person=person).update(draft={}, expires_at=timezone.now())


def _recorded(user, person) -> list[dict]:
    """What this login wrote into the impact room: surveys built, claims and evidence."""
    if user is None:
        return []
    rows = [
        {"what": "Survey you built", "title": s.title, "when": timezone.localtime(s.created_at)}
        for s in Survey.objects.filter(created_by=user).order_by("created_at")
    ]
    rows += [
        {"what": "Claimed change you recorded", "title": c.statement, "when": timezone.localtime(c.created_at)}
        for c in Claim.objects.filter(recorded_by=user).order_by("created_at")
    ]
    rows += [
        {"what": "Evidence you recorded", "title": e.summary[:200], "when": timezone.localtime(e.created_at)}
        for e in EvidenceItem.objects.filter(recorded_by=user).order_by("created_at")
    ]
    from impact.dashboards.models import Objective
    from impact.reviews.models import LensReview

    rows += [
        {"what": "Network objective you set", "title": str(o), "when": None}
        for o in Objective.objects.filter(set_by=user).order_by("pk")
    ]
    rows += [
        {"what": "Six-lens review you started", "title": str(r), "when": None}
        for r in LensReview.objects.filter(created_by=user).order_by("pk")
    ]
    return rows


SECTIONS = [
    Section(
        key="impact_recorded",
        order=88,
        title="Surveys and evidence you recorded",
        rows=_recorded,
        links=(
            "impact.Survey.created_by",
            "impact.Claim.recorded_by",
            "impact.EvidenceItem.recorded_by",
            "impact.Objective.set_by",
            "impact.LensReview.created_by",
        ),
    ),
    Section(
        key="surveys",
        order=70,
        title="Surveys you were asked to answer",
        description="Each invitation, whether you answered, and your answers to named surveys. Answers to "
        "anonymous surveys are not linked to you, so they cannot be found or shown.",
        rows=_surveys,
        links=("impact.SurveyInvitation.person",),
    ),
]
