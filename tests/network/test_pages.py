"""Home pages, the directory and personal data, through the pages a user clicks."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse

from network.base.models import User
from network.base.privacy.erasure import person_erase
from tests import factories as f
from tests.conftest import select_options


@pytest.mark.django_db
def test_home_shows_each_role_its_own_page(client, world):
    expected = {
        world.coordinator: "network/home_coordinator.html",
        world.executive_a: "network/home_executive.html",
        world.leader_a: "network/home_leader.html",
        world.visitor: "network/home_visitor.html",
    }
    for user, template in expected.items():
        client.force_login(user)
        response = client.get(reverse("network:home"))
        assert template in [t.name for t in response.templates]


@pytest.mark.django_db
def test_executive_home_lists_own_academies_not_others(client, world):
    client.force_login(world.executive_a)
    content = client.get(reverse("network:home")).content.decode()
    assert "Academy A" in content
    assert "Academy B" not in content


@pytest.mark.django_db
def test_leader_home_shows_their_academy_and_hub(client, world):
    client.force_login(world.leader_a)
    content = client.get(reverse("network:home")).content.decode()
    assert "Academy A" in content
    assert world.hub.name in content


@pytest.mark.django_db
def test_directory_search_by_expertise(client, world):
    tag = f.ExpertiseTagFactory(name="Required practicals")
    world.person_b.expertise.add(tag)
    other = f.PersonFactory(academy=world.academy_b, directory_consent=True, first_name="Unrelated")
    client.force_login(world.leader_a)
    response = client.get(reverse("network:directory"), {"expertise": tag.pk})
    people = list(response.context["page"].object_list)
    assert people == [world.person_b]
    response = client.get(reverse("network:directory"), {"q": "required"})
    assert list(response.context["page"].object_list) == [world.person_b]
    assert other not in list(response.context["page"].object_list)


@pytest.mark.django_db
def test_directory_search_by_hub_and_designation(client, world):
    sle = f.DesignationFactory()
    world.person_b.designations.add(sle)
    client.force_login(world.leader_a)
    response = client.get(reverse("network:directory"), {"hub": world.hub.pk, "designation": sle.pk})
    assert list(response.context["page"].object_list) == [world.person_b]


@pytest.mark.django_db
def test_directory_empty_search_says_so(client, world):
    client.force_login(world.leader_a)
    response = client.get(reverse("network:directory"), {"q": "no such expertise anywhere"})
    assert "No one matches your search" in response.content.decode()


@pytest.mark.django_db
def test_academy_list_filters_by_community_and_search(client, world):
    f.AcademyFactory(trust=world.trust_a, name="Seaview Academy", community_type="coastal")
    client.force_login(world.coordinator)
    response = client.get(reverse("trusts:academy_list"), {"community_type": "coastal"})
    assert [a.name for a in response.context["page"].object_list] == ["Seaview Academy"]
    response = client.get(reverse("trusts:academy_list"), {"q": str(world.academy_b.urn)})
    assert [a.name for a in response.context["page"].object_list] == ["Academy B"]


@pytest.mark.django_db
def test_academy_list_trust_filter_offers_only_visible_trusts(client, world):
    client.force_login(world.executive_a)
    response = client.get(reverse("trusts:academy_list"))
    assert select_options(response.content.decode(), "trust") == ["Any trust", world.trust_a.name]
    # Asking for another trust's academies by id is an invalid choice: nothing leaks.
    response = client.get(reverse("trusts:academy_list"), {"trust": world.trust_b.pk})
    assert world.academy_b not in list(response.context["page"].object_list)
    assert "trust" in response.context["filter"].form.errors


@pytest.mark.django_db
def test_my_data_downloads_what_we_hold(client, world):
    client.force_login(world.leader_a)
    page = client.get(reverse("network:my_data"))
    assert b"Your details in the network" in page.content and b"Download as JSON" in page.content
    response = client.get(reverse("network:my_data"), {"format": "json"})
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "leader.a@portal.example"
    assert data["person"]["academy"].startswith("Academy A")


@pytest.mark.django_db
def test_erasing_a_person_removes_their_details_and_closes_the_login(client, world):
    person = world.person_a
    original_email = person.email
    person_erase(person=person, by=world.coordinator)
    person.refresh_from_db()
    assert person.first_name == "Erased" and original_email not in person.email
    assert not any(h.email == original_email for h in person.history.all())
    user = User.objects.get(pk=world.leader_a.pk)
    assert not user.is_active and "leader.a" not in user.email
    assert client.login(email="leader.a@portal.example", password=f.PASSWORD) is False


@pytest.mark.django_db
def test_admin_erase_action_asks_first_then_erases(client, world):
    client.force_login(world.coordinator)
    selected = {"action": "erase_personal_data", "_selected_action": [world.person_b.pk]}
    page = client.post(reverse("admin:trusts_person_changelist"), selected)
    assert page.status_code == 200 and b"This cannot be undone" in page.content
    world.person_b.refresh_from_db()
    assert world.person_b.first_name != "Erased"  # nothing happens until confirmed
    response = client.post(reverse("admin:trusts_person_changelist"), {**selected, "post": "yes"}, follow=True)
    assert response.status_code == 200
    world.person_b.refresh_from_db()
    assert world.person_b.first_name == "Erased"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "admin_url",
    [
        "admin:trusts_academy_changelist",
        "admin:trusts_trust_changelist",
        "admin:trusts_person_changelist",
        "admin:network_user_changelist",
        "admin:network_hub_changelist",
        "admin:network_outboxmessage_changelist",
    ],
)
def test_coordinator_can_use_the_admin(client, world, admin_url):
    client.force_login(world.coordinator)
    assert client.get(reverse(admin_url)).status_code == 200


@pytest.mark.django_db
def test_the_changelists_action_checkbox_is_djangos_markup_written_directly(client, world):
    # trusts/admin.py writes the checkbox without a widget template (speed); the actions
    # script and screen readers rely on this exact markup.
    from django.contrib.admin.options import ModelAdmin

    from trusts.admin import AcademyAdmin
    from trusts.models import Academy

    model_admin = AcademyAdmin(Academy, admin.site)
    stock = ModelAdmin.action_checkbox(model_admin, world.academy_a)
    assert model_admin.action_checkbox(world.academy_a) == stock
    client.force_login(world.coordinator)
    assert stock in client.get(reverse("admin:trusts_academy_changelist")).content.decode()


@pytest.mark.django_db
def test_leader_cannot_use_the_admin(client, world):
    client.force_login(world.leader_a)
    response = client.get(reverse("admin:trusts_academy_changelist"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_erasing_a_person_drops_their_unsent_mail_and_blanks_what_was_sent(world, django_capture_on_commit_callbacks):
    from network.base import outbox
    from network.base.models import OutboxMessage

    email = world.person_b.email
    outbox.enqueue_rendered(key="sent-one", to=email, subject="Welcome Sam", body_text="Dear Sam")
    OutboxMessage.objects.filter(key="sent-one").update(status=OutboxMessage.Status.SENT)
    outbox.enqueue_rendered(key="pending-one", to=email, subject="Reminder", body_text="Dear Sam")
    person_erase(person=world.person_b, by=world.coordinator)
    assert list(OutboxMessage.objects.values_list("key", "to", "body_text")) == [
        ("sent-one", "erased@erased.invalid", "")
    ]


@pytest.mark.django_db
def test_templates_ask_the_rule_itself_not_user_has_perm(world, django_assert_max_num_queries):
    # {% load may %} answers as views and services do: a leader made superuser is still not
    # a trust executive, and a refusal does not read Django's permission tables.
    from django.template import Context, Template

    leader = world.leader_a
    leader.is_superuser = True
    leader.save()
    assert leader.has_perm("impact.open_trust_dashboard")  # what django-rules' own tag would say
    template = Template('{% load may %}{% has_perm "impact.open_trust_dashboard" user as ok %}{{ ok }}')
    with django_assert_max_num_queries(0):
        assert template.render(Context({"user": leader})) == "False"
