"""A science leader answers their evaluation from the emailed link, on a phone-sized
screen (390 px), by keyboard alone, without signing in; axe finds no violation on the
way, the page never scrolls sideways, answers are saved as they go (htmx) and the link
then says it has been used."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from events.services.reminders import surveys_mark_due
from impact.models import Answer, SurveyInvitation
from impact.surveys.services.dispatch import surveys_sweep
from network.base.models import OutboxMessage
from tests.e2e.conftest import axe
from tests.e2e.test_keyboard import _assert_focus_visible, _tab_to
from tests.impact.helpers import attendee, past_event

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_leader_answers_the_emailed_survey_on_a_phone_by_keyboard(page, world):
    now = timezone.now()
    event = past_event(world.network, ended_at=now - timedelta(hours=3), title="Required practicals that work")
    attendee(event, person=world.person_a)
    surveys_mark_due(now=now - timedelta(hours=2))
    surveys_sweep(now=now - timedelta(hours=1))
    invitation = SurveyInvitation.objects.get(person=world.person_a)
    email = OutboxMessage.objects.get(key=f"survey-invitation:{invitation.pk}:invitation")
    link = next(word for word in email.body_text.split() if "/impact/s/" in word)

    page.set_viewport_size(PHONE)
    page.goto(urlparse(link).path)
    assert page.title().startswith("Event evaluation")
    axe(page)
    _no_sideways_scroll(page)

    # The first scale: Tab into the group, arrow keys choose within it (as in any radio
    # group), and the answer is saved as the person goes.
    _tab_to(page, "1 – Not at all useful")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert _assert_focus_visible(page)["name"].startswith("4 – Very useful")
    page.locator("#save-status").filter(has_text="Saved at").wait_for()
    invitation.refresh_from_db()
    assert list(invitation.draft.values()) == [4]

    _tab_to(page, "1 – Strongly disagree")  # "relevant to my school"
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    _tab_to(page, "1 – Not at all confident")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    _tab_to(page, "All of it")
    page.keyboard.press("Space")
    _tab_to(page, "What will you do differently")
    page.keyboard.type("Let pupils plan the method for one practical each half-term.")
    _tab_to(page, "Submit my answers")
    axe(page)
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Thank you").wait_for()
    axe(page)
    _no_sideways_scroll(page)
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and invitation.draft == {}
    scores = sorted(int(n) for n in Answer.objects.filter(number__isnull=False).values_list("number", flat=True))
    assert scores == [3, 4, 5]
    assert Answer.objects.filter(text__startswith="Let pupils plan").exists()

    # The link is single use: opening it again says so, clearly.
    response = page.goto(urlparse(link).path)
    assert response.status == 410
    page.get_by_role("heading", name="You have already answered").wait_for()
    axe(page)
