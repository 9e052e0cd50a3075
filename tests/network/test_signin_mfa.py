"""One sign-in for the whole site, and two-step sign-in for coordinators and trust
executives: the admin's login goes through allauth (its limits, email verification and
the second step); coordinators and executives cannot reach a page until they have set
up an authenticator; a coordinator can reset a person's two-step sign-in."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from network.base.models import OutboxMessage
from tests import factories as f

ADMIN = "/admin/"


def admin_sign_in_url(client) -> str:
    """Where the admin sends a person who is not signed in, followed to the end."""
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    return response["Location"]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_admin_sends_people_to_the_sites_one_sign_in(client, world):
    url = admin_sign_in_url(client)
    assert url == f"{reverse('account_login')}?next=%2Fadmin%2F"
    # Signed in without admin access: refused, not asked to sign in again.
    client.force_login(world.leader_a)
    assert client.get(reverse("admin:login")).status_code == 403


@pytest.mark.django_db
def test_posting_to_the_admin_login_signs_nobody_in(client):
    coordinator = f.coordinator(email="coordinator@network.example")
    response = client.post(reverse("admin:login"), {"username": coordinator.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not signed_in(client)


@pytest.mark.django_db
def test_admin_login_refuses_after_the_limit(client):
    coordinator = f.coordinator(email="coordinator@network.example")
    url = admin_sign_in_url(client)
    for _ in range(5):
        response = client.post(url, {"login": coordinator.email, "password": "wrong-password"})
        assert response.status_code == 200 and not signed_in(client)
    response = client.post(url, {"login": coordinator.email, "password": f.PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)
    assert client.get(ADMIN).status_code == 302


@pytest.mark.django_db
def test_admin_login_asks_a_coordinator_for_the_second_step(client):
    coordinator = f.coordinator(email="coordinator@network.example")
    url = admin_sign_in_url(client)
    response = client.post(url, {"login": coordinator.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # The password alone opens nothing.
    assert not signed_in(client)
    assert client.get(ADMIN).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if f.totp_code() != "000000" else "111111"})
    assert response.status_code == 200 and not signed_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": f.totp_code()})
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_admin_login_requires_a_verified_email(client):
    coordinator = f.coordinator(email="coordinator@network.example")
    EmailAddress.objects.filter(user=coordinator).update(verified=False)
    response = client.post(admin_sign_in_url(client), {"login": coordinator.email, "password": f.PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(ADMIN).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "executive"])
def test_coordinators_and_executives_set_up_mfa_before_any_page(client, world, role):
    user = (
        f.coordinator(mfa=False, email="new@network.example")
        if role == "coordinator"
        else f.trust_executive(world.trust_a, mfa=False, email="new@trust.example")
    )
    response = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302 and signed_in(client)
    pages = [reverse("network:home"), reverse("trusts:academy_list"), reverse("network:my_data")]
    if role == "coordinator":
        pages.append(ADMIN)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("network:mfa_required")), page
    page = client.get(reverse("network:mfa_required"), {"next": ADMIN}).content.decode()
    assert "Before you go on, please set up two-step sign-in." in page
    assert reverse("mfa_activate_totp") in page and reverse("mfa_add_webauthn") in page
    # allauth's own pages stay open: set up an authenticator app (allauth asks for the
    # password once more before changing how one signs in).
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": f.PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": f.totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    for page in pages:
        assert client.get(page).status_code == 200, page


@pytest.mark.django_db
def test_mfa_is_optional_for_science_leaders(client, world):
    client.force_login(world.leader_a)
    assert not Authenticator.objects.filter(user=world.leader_a).exists()
    assert client.get(reverse("network:home")).status_code == 200
    assert "optional" in client.get(reverse("network:mfa_required")).content.decode()


@pytest.mark.django_db
def test_a_coordinator_resets_a_persons_mfa_with_an_audit_entry(client, world, django_capture_on_commit_callbacks):
    executive = world.executive_a
    assert Authenticator.objects.filter(user=executive).count() == 2  # app + recovery codes
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:network_user_changelist"),
            {"action": "reset_mfa", "_selected_action": [executive.pk]},
            follow=True,
        )
    assert "Two-step sign-in reset for 1 person" in response.content.decode()
    assert not Authenticator.objects.filter(user=executive).exists()
    entry = LogEntry.objects.get(object_id=str(executive.pk))
    assert entry.user == world.coordinator and "Reset two-step sign-in" in entry.change_message
    message = OutboxMessage.objects.get(to=executive.email)
    assert "reset" in message.subject and str(world.coordinator) in message.body_text
    # At the next request the executive is asked to set it up again.
    client.force_login(executive)
    assert client.get(reverse("network:home"))["Location"].startswith(reverse("network:mfa_required"))


@pytest.mark.django_db
def test_a_coordinator_cannot_reset_a_superusers_mfa(client, world):
    from network.base.models import User

    root = User.objects.create_superuser(email="root@network.example", password="An0ther-l0ng-pass")
    f.enrol_mfa(root)
    client.force_login(world.coordinator)
    client.post(reverse("admin:network_user_changelist"), {"action": "reset_mfa", "_selected_action": [root.pk]})
    assert Authenticator.objects.filter(user=root).count() == 2


@pytest.mark.django_db
def test_the_user_list_shows_who_has_two_step_sign_in(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:network_user_changelist"))
    assert "Two-step sign-in" in response.content.decode()


@pytest.mark.django_db
def test_allauths_mfa_pages_speak_the_portals_words(client, world):
    client.force_login(world.leader_a)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Two-step sign-in" in page and "Authenticator app" in page
    assert "Two-Factor Authentication" not in page and "Authenticator App" not in page


@pytest.mark.django_db
def test_an_htmx_request_without_mfa_moves_the_whole_page(client, world):
    client.force_login(f.coordinator(mfa=False, email="new@network.example"))
    response = client.get(reverse("trusts:academy_list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("network:mfa_required")


def _authenticator_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum("mfa_authenticator" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_a_second_step_is_remembered_in_a_shared_cache_until_it_changes(client, world, settings):
    """The middleware's "has a second step" costs a query once, then comes from the shared
    cache; a reset by a coordinator (a delete of the authenticators) is heard at once."""
    settings.FIGURES_REMEMBERED = True  # a cache every process shares (Redis in production)
    executive = world.executive_a
    client.force_login(executive)
    home = reverse("network:home")
    assert _authenticator_queries(client, home) == 1
    assert _authenticator_queries(client, home) == 0  # remembered
    reset = f.coordinator(email="resetter@network.example")
    client.force_login(reset)
    client.post(reverse("admin:network_user_changelist"), {"action": "reset_mfa", "_selected_action": [executive.pk]})
    assert not Authenticator.objects.filter(user=executive).exists()
    client.force_login(executive)
    assert client.get(home)["Location"].startswith(reverse("network:mfa_required"))
    # A "no" is never remembered: set one up again and the pages open at once.
    f.enrol_mfa(executive)
    assert client.get(home).status_code == 200


@pytest.mark.django_db
def test_without_a_shared_cache_the_second_step_is_asked_every_request(client, world, settings):
    settings.FIGURES_REMEMBERED = False  # e.g. `make run`: each process's own memory
    client.force_login(world.executive_a)
    home = reverse("network:home")
    assert _authenticator_queries(client, home) == 1
    assert _authenticator_queries(client, home) == 1
