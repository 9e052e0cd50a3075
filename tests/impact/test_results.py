"""Survey results: distributions, means with n, written answers (searchable, CSV), the
response rate, filters, change per person; a trust executive sees only their trust's
answers, and any breakdown of fewer than 5 as "fewer than 5"."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from impact.surveys import selectors
from tests import factories as f
from tests.impact.helpers import answer, survey_of_every_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world):
    """An anonymous survey about one hub event: 6 invited from trust A, 3 from trust B."""
    survey, questions = survey_of_every_kind(world.network)
    event = f.EventFactory(network=world.network, hub=world.hub, title="Hub meeting: practicals")
    invite_a = [f.invitation(survey, f.PersonFactory(academy=world.academy_a), event=event) for _ in range(6)]
    invite_b = [f.invitation(survey, f.PersonFactory(academy=world.academy_b), event=event) for _ in range(3)]

    def give(invitation, score, text="", choice="All"):
        values = {questions["likert"]: score, questions["single"]: choice, questions["multiple"]: ["Talk", "Q&A"]}
        if text:
            values[questions["long"]] = text
        answer(invitation, values)

    return survey, questions, event, invite_a, invite_b, give


def _texts(response) -> str:
    return response.content.decode()


def test_distributions_means_and_the_response_rate(world, answered):
    survey, questions, event, invite_a, invite_b, give = answered
    for inv, score in zip(invite_a[:5] + invite_b[:2], (5, 4, 4, 3, 5, 2, 4), strict=True):
        give(inv, score, text='=HYPERLINK("http://x")' if score == 2 else "More practical work")
    results = selectors.results(world.coordinator, survey, selectors.Filters())
    likert = next(r for r in results.questions if r.question == questions["likert"])
    assert (likert.n, likert.mean, likert.suppressed) == (7, Decimal("3.86"), False)
    assert [count for _label, count, _share in likert.rows] == [0, 1, 1, 3, 2]
    multiple = next(r for r in results.questions if r.question == questions["multiple"])
    assert [(label, count) for label, count, _ in multiple.rows] == [("Talk", 7), ("Workshop", 0), ("Q&A", 7)]
    assert (results.invited, results.answered, results.response_rate) == (9, 7, "78%")


def test_filters_by_event_hub_trust_and_term(world, answered):
    survey, questions, event, invite_a, invite_b, give = answered
    for inv in invite_a[:5] + invite_b[:2]:
        give(inv, 4)
    other = f.EventFactory(network=world.network)
    assert selectors.results(world.coordinator, survey, selectors.Filters(event=other)).responses == 0
    assert selectors.results(world.coordinator, survey, selectors.Filters(hub=world.hub)).responses == 7
    # Trust B's group (3 invited) was too small to record the trust: its answers count
    # for the network, but not for trust B.
    assert selectors.results(world.coordinator, survey, selectors.Filters(trust=world.trust_a)).responses == 5
    assert selectors.results(world.coordinator, survey, selectors.Filters(trust=world.trust_b)).responses == 0
    term = selectors.filter_choices(world.coordinator, survey)["terms"][0]
    assert selectors.results(world.coordinator, survey, selectors.Filters(term=term)).responses == 7
    client_url = reverse("impact:survey_results", args=[survey.pk])
    assert client_url


@pytest.mark.parametrize(
    ("answers_from_a", "shown"),
    [(0, "No answers"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")],
)
def test_an_executive_sees_fewer_than_5_under_five(client, world, answered, answers_from_a, shown):
    survey, questions, event, invite_a, invite_b, give = answered
    for inv in invite_b[:3]:
        give(inv, 1)
    for inv in invite_a[:answers_from_a]:
        give(inv, 5, text="We now plan practicals together")
    if answers_from_a == 0:
        # Nothing from their trust: the survey's results are not theirs to open.
        client.force_login(world.executive_a)
        assert client.get(reverse("impact:survey_results", args=[survey.pk])).status_code == 404
        return
    results = selectors.results(world.executive_a, survey, selectors.Filters())
    assert results.shown_responses == (int(shown) if shown.isdigit() else shown)
    client.force_login(world.executive_a)
    page = _texts(client.get(reverse("impact:survey_results", args=[survey.pk])))
    if shown == "fewer than 5":
        assert "fewer than 5 answers for this selection, too few to show" in page
        assert "We now plan practicals together" not in page
        rows = list(
            csv.reader(
                io.StringIO(_texts(client.get(reverse("impact:survey_results_csv", args=[survey.pk]))).lstrip("\ufeff"))
            )
        )
        assert rows[1][4] == "fewer than 5"
        written = _texts(client.get(reverse("impact:survey_text_csv", args=[survey.pk])))
        assert "We now plan" not in written
    else:
        assert "n = 5 · mean 5.00" in page
        assert "We now plan practicals together" in page
        # Trust B's answers (scored 1) are never in trust A's figures.
        assert '1 – Strongly disagree</th><td data-label="Count">0</td>' in page


def test_an_executive_never_sees_another_trusts_answers(world, answered):
    survey, questions, event, invite_a, invite_b, give = answered
    trust_c = f.TrustFactory(name="Trust C")
    academy_c = f.AcademyFactory(trust=trust_c)
    invite_c = [f.invitation(survey, f.PersonFactory(academy=academy_c), event=event) for _ in range(5)]
    for inv in invite_c:
        give(inv, 1)
    for inv in invite_a[:5]:
        give(inv, 5)
    results = selectors.results(world.executive_a, survey, selectors.Filters())
    assert results.responses == 5
    likert = next(r for r in results.questions if r.question == questions["likert"])
    assert likert.mean == Decimal("5.00")
    # Asking for trust C's breakdown gives nothing (the filter cannot widen the door).
    assert selectors.results(world.executive_a, survey, selectors.Filters(trust=trust_c)).responses == 0
    assert selectors.results(world.coordinator, survey, selectors.Filters(trust=trust_c)).responses == 5


def test_written_answers_are_searchable_and_exported_formula_safe(client, world, answered):
    survey, questions, event, invite_a, invite_b, give = answered
    texts = ["Pupils plan the method", "=1+2", "More time for write-ups", "Pupils loved it", "Kit lists", "Plan ahead"]
    for inv, text in zip(invite_a, texts, strict=True):
        give(inv, 4, text=text)
    client.force_login(world.coordinator)
    page = _texts(client.get(reverse("impact:survey_results", args=[survey.pk]), {"q": "pupils"}))
    assert "Answers containing “pupils”: 2." in page
    assert "Kit lists" not in page
    export = _texts(client.get(reverse("impact:survey_text_csv", args=[survey.pk])))
    assert "'=1+2" in export
    assert "Hub meeting: practicals" in export


def test_change_per_person_of_a_pre_post_pair(client, world):
    from impact.surveys.services.building import survey_create, survey_open

    post = survey_create(network=world.network, starter="pre_post", title="Physics", by=world.coordinator)
    pre = post.pair
    for survey in (pre, post):
        survey_open(survey=survey, by=world.coordinator)
    key = "confidence-practicals"
    befores, afters = [2, 3, 3, 4, 1, 2], [4, 3, 4, 3, 3, None]
    for before, after in zip(befores, afters, strict=True):
        person = f.PersonFactory(academy=world.academy_a)
        values = dict.fromkeys(pre.questions.filter(kind="likert"), 3) | {pre.questions.get(kind="number"): 2}
        answer(f.invitation(pre, person), values | {pre.questions.get(key=key): before})
        if after is not None:
            values = dict.fromkeys(post.questions.filter(kind="likert"), 3) | {post.questions.get(kind="number"): 2}
            answer(f.invitation(post, person), values | {post.questions.get(key=key): after})
    results = selectors.results(world.coordinator, post, selectors.Filters())
    change = next(c for c in results.changes if c.question.key == key).change
    assert (change.n, change.mean_change, change.share_improved) == (5, Decimal("0.80"), Decimal("60.0"))
    client.force_login(world.coordinator)
    page = _texts(client.get(reverse("impact:survey_results", args=[post.pk])))
    assert "+0.80" in page and "60.0%" in page
    # Five people of their trust answered both: an executive sees the change too.
    assert next(c for c in selectors.results(world.executive_a, post, selectors.Filters()).changes).suppressed is False
