"""An academy visit from request to closure, in a real Chromium with axe-core on every
page: a science leader asks to see practice, the coordinator schedules it with the host
the brokering page suggests, the visitor (the leader) writes and submits the report, the
host's head of science agrees it, and closing the one action closes the visit."""

import datetime
import re

import pytest
from django.utils import timezone

from events.visits.models import Visit
from events.visits.services.kinds import visit_kinds_ensure
from tests import factories as f
from tests.e2e.conftest import axe, nav, sign_in

pytestmark = pytest.mark.e2e


def test_a_visit_from_request_to_closed_action(page, transactional_db):
    pennine = f.TrustFactory(name="Pennine Learning Trust")
    bay = f.TrustFactory(name="Morecambe Bay Academies")
    burnley = f.AcademyFactory(trust=pennine, name="Burnley Road Academy")
    heysham = f.AcademyFactory(trust=bay, name="Heysham Bay Academy")
    network = f.NetworkFactory(name="North West Science Network", slug="nw-science")
    network.member_trusts.set([pennine, bay])
    visit_kinds_ensure(network=network)
    practical = f.ExpertiseTagFactory(name="Practical work", slug="practical-work")
    tom = f.PersonFactory(academy=burnley, first_name="Tom", last_name="Hughes", email="tom.hughes@school.example")
    leader = f.UserFactory(role="leader", person=tom, email=tom.email, full_name="Tom Hughes")
    host_person = f.PersonFactory(
        academy=heysham, first_name="Amira", last_name="Hussain", email="amira@school.example"
    )
    host_person.expertise.set([practical])
    host_person.designations.set([f.DesignationFactory(name="Specialist Leader of Education (SLE)")])
    host = f.UserFactory(role="leader", person=host_person, email="amira@school.example", full_name="Amira Hussain")
    coordinator = f.coordinator(email="priya.shah@network.example", full_name="Priya Shah")

    # 1. The leader asks to see practical work elsewhere.
    sign_in(page, leader)
    nav(page, "Request a visit")
    page.wait_for_url("**/visits/request/")
    axe(page)
    page.get_by_label("See practice elsewhere").check()
    page.get_by_label("Kind of visit").select_option(label="Peer visit")
    page.get_by_label("Practical work").check()
    page.get_by_label("Preferred weeks").fill("Any week after half-term")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r".*/visits/\d+/$"))
    axe(page)
    visit = Visit.objects.get()
    assert visit.status == "requested"

    # 2. The coordinator schedules it with the suggested host.
    page.context.clear_cookies()
    sign_in(page, coordinator)
    nav(page, "Visit requests")
    page.wait_for_url("**/visits/brokering/")
    axe(page)
    page.get_by_role("link", name=re.compile("^Find a match")).click()
    page.wait_for_url(f"**/visits/{visit.pk}/broker/")
    axe(page)
    suggestion = page.get_by_role("listitem").filter(has_text="Heysham Bay Academy").first
    assert "Expertise in Practical work" in suggestion.inner_text()
    suggestion.get_by_role("link", name=re.compile("^Use")).click()
    page.wait_for_url(re.compile(r".*host=\d+.*"))
    assert page.get_by_label("Host academy URN").input_value() == str(heysham.urn)
    day = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Visitors' emails").fill(leader.person.email)
    page.get_by_label("Host contact's email").fill(host_person.email)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts").fill("09:00")
    page.get_by_label("Ends").fill("12:00")
    page.get_by_role("button", name="Schedule the visit").click()
    page.wait_for_url(re.compile(rf".*/visits/{visit.pk}/(#schedule)?$"))  # the fragment survives the redirect
    axe(page)
    visit.refresh_from_db()
    assert (visit.status, visit.host_academy) == ("scheduled", heysham)

    # The day comes and goes.
    past = timezone.now() - datetime.timedelta(days=1)
    Visit.objects.filter(pk=visit.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=3))

    # 3. The visitor (the leader who went) completes it and submits the report.
    page.context.clear_cookies()
    sign_in(page, leader)
    nav(page, "My visits")
    page.wait_for_url("**/visits/")
    axe(page)
    page.get_by_role("link", name="Peer visit").click()
    page.get_by_role("button", name="Mark the visit as completed").click()
    page.get_by_role("link", name="Write the report").click()
    page.wait_for_url(f"**/visits/{visit.pk}/report/")
    axe(page)
    page.get_by_label("What was seen").fill("Year 10 required practicals in two labs.")
    page.get_by_label("Strengths").fill("Technicians and teachers plan every practical together.")
    page.get_by_label("Areas for development").fill("Questioning during practical work.")
    first_action = page.locator("fieldset .border").first
    first_action.get_by_label("Action").fill("Plan hinge questions into each required practical.")
    first_action.get_by_label("Owner at the host academy").select_option(label="Amira Hussain")
    first_action.get_by_label("Due").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Submit to the host").click()
    page.wait_for_url(f"**/visits/{visit.pk}/")
    axe(page)
    assert Visit.objects.get(pk=visit.pk).status == "report_submitted"

    # 4. The host agrees the report, then closes the action.
    page.context.clear_cookies()
    sign_in(page, host)
    page.goto(f"/visits/{visit.pk}/")
    axe(page)
    page.get_by_role("button", name="Agree the report").click()
    page.wait_for_url(f"**/visits/{visit.pk}/")
    assert Visit.objects.get(pk=visit.pk).status == "report_agreed"
    page.get_by_label("Status of action 1").select_option(label="Closed")
    page.get_by_label("Note on action 1").fill("In every Year 10 practical now.")
    page.get_by_role("button", name="Save action 1").click()
    page.wait_for_url(f"**/visits/{visit.pk}/")
    axe(page)
    assert Visit.objects.get(pk=visit.pk).status == "closed"
    assert page.get_by_text("Closed", exact=True).first.is_visible()
