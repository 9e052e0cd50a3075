"""The visit's state machine as a table: every (state, action) pair is either a legal
move to the state the table names, or refused with a sentence a person understands.
Then the same through the services and a page: an illegal move is a message, never a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.visits import lifecycle
from events.visits.models import Visit
from events.visits.services import requests, scheduling
from tests import factories as f
from tests.events import visit_helpers as vh

S = Visit.Status
LEGAL = {
    (S.REQUESTED, "propose"): S.PROPOSED,
    (S.PROPOSED, "propose"): S.PROPOSED,
    (S.REQUESTED, "schedule"): S.SCHEDULED,
    (S.PROPOSED, "schedule"): S.SCHEDULED,
    (S.SCHEDULED, "reschedule"): S.SCHEDULED,
    (S.REQUESTED, "cancel"): S.CANCELLED,
    (S.PROPOSED, "cancel"): S.CANCELLED,
    (S.SCHEDULED, "cancel"): S.CANCELLED,
    (S.SCHEDULED, "complete"): S.COMPLETED,
    (S.COMPLETED, "submit_report"): S.REPORT_SUBMITTED,
    (S.REPORT_SUBMITTED, "request_changes"): S.COMPLETED,
    (S.REPORT_SUBMITTED, "agree_report"): S.REPORT_AGREED,
    (S.REPORT_AGREED, "close"): S.CLOSED,
}
ALL = [(state, action) for state in S.values for action in lifecycle.TRANSITIONS]


@pytest.mark.parametrize(("state", "action"), ALL)
def test_every_state_and_action(state, action):
    visit = Visit(status=state)
    if (state, action) in LEGAL:
        lifecycle.check(visit, action)
        assert lifecycle.target(action) == LEGAL[(state, action)]
    else:
        with pytest.raises(ValidationError) as refused:
            lifecycle.check(visit, action)
        message = refused.value.messages[0]
        assert message.startswith("A visit that is ")
        assert " cannot " in message


def test_the_table_has_exactly_the_legal_moves():
    found = {(state, action) for state, action in ALL if lifecycle.can(state, action)}
    assert found == set(LEGAL)


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (
            S.COMPLETED,
            "cancel",
            "A visit that is waiting for its report cannot be cancelled. Visits can be cancelled only before they have happened.",
        ),
        (
            S.CANCELLED,
            "reschedule",
            "A visit that is cancelled cannot be rescheduled. Only a scheduled visit can be moved; schedule a request instead.",
        ),
        (
            S.REQUESTED,
            "complete",
            "A visit that is still a request cannot be marked as completed. A visit is marked as completed once it has been scheduled and has taken place.",
        ),
        (S.CLOSED, "submit_report", "A visit that is closed cannot have its report submitted."),
    ],
)
def test_refusals_read_as_sentences(state, action, message):
    assert lifecycle.refusal(state, action) == message


def test_services_refuse_illegal_moves(world):
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator)
    with pytest.raises(ValidationError, match="still a request cannot be marked as completed"):
        scheduling.visit_complete(visit=visit, by=world.coordinator)
    requests.visit_cancel(visit=visit, reason="The academy has an inspection that week.", by=world.coordinator)
    visitor = f.PersonFactory(academy=world.academy_b)
    with pytest.raises(ValidationError, match="cancelled cannot be scheduled"):
        scheduling.visit_schedule(
            visit=visit, starts_at=vh.at(7), ends_at=vh.at(7, 12), visitors=[visitor], by=world.coordinator
        )
    visit.refresh_from_db()
    assert visit.status == S.CANCELLED
    assert list(visit.log.values_list("action", "to_status", "text")) == [
        ("request", "requested", ""),
        ("cancel", "cancelled", "The academy has an inspection that week."),
    ]


def test_an_illegal_move_on_a_page_is_a_message_not_a_500(client, world):
    visit = vh.requested(world.network, world.academy_a, by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(reverse("events:visit_complete", args=[visit.pk]), follow=True)
    assert response.status_code == 200
    assert "still a request cannot be marked as completed" in response.content.decode()


def test_cancel_needs_a_reason_and_keeps_it(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator)
    with pytest.raises(ValidationError, match="Say why"):
        requests.visit_cancel(visit=visit, reason="  ", by=world.coordinator)
    requests.visit_cancel(visit=visit, reason="Snow closed the school.", by=world.coordinator)
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == (S.CANCELLED, "Snow closed the school.")


def test_reschedule_needs_a_reason_kept_in_the_history(world):
    visitor = f.PersonFactory(academy=world.academy_b)
    visit = vh.scheduled(world.network, world.academy_a, [visitor], by=world.coordinator)
    kwargs = dict(visit=visit, starts_at=vh.at(21), ends_at=vh.at(21, 12), visitors=[visitor], by=world.coordinator)
    with pytest.raises(ValidationError, match="Say why the visit is moving"):
        scheduling.visit_schedule(**kwargs)
    scheduling.visit_schedule(**kwargs, reason="The host's mocks moved.")
    visit.refresh_from_db()
    assert visit.starts_at == vh.at(21)
    assert visit.log.last().action == "reschedule"
    assert visit.log.last().text == "The host's mocks moved."
