"""Signing in: email login through allauth, lockout, sign-up closed, invitations."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from network.base import services
from network.base.models import Invitation, OutboxMessage, Role, User
from tests import factories as f


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_login_with_email_lands_on_home(client):
    user = f.UserFactory(email="sam@school.example")
    response = _login(client, "Sam@School.example", f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")
    assert client.get(reverse("network:home")).context["user"] == user


@pytest.mark.django_db
def test_login_with_unverified_email_is_held_back(client):
    user = f.UserFactory(email="new@school.example")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = _login(client, "new@school.example", f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


@pytest.mark.django_db
def test_login_locks_out_after_repeated_failures(client):
    f.UserFactory(email="target@school.example")
    for _ in range(5):
        response = _login(client, "target@school.example", "wrong-password")
        assert response.status_code == 200
    # The sixth try is refused even with the right password.
    response = _login(client, "target@school.example", f.PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_public_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b"Sign Up Closed" in response.content or b"closed" in response.content.lower()
    client.post(
        reverse("account_signup"),
        {"email": "x@y.example", "password1": "Sx8#kq!longpass", "password2": "Sx8#kq!longpass"},
    )
    assert not User.objects.filter(email="x@y.example").exists()


@pytest.mark.django_db
def test_invitation_email_link_creates_a_verified_account(client, world, django_capture_on_commit_callbacks):
    person = f.PersonFactory(academy=world.academy_a, email="new.leader@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            email=person.email, role=Role.LEADER, by=world.coordinator, person=person
        )
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[0].body).group(1)
    assert link == reverse("network:invitation_accept", args=[token])
    assert token not in Invitation.objects.get().token_digest  # only a digest is stored

    response = client.get(link)
    assert response.status_code == 200
    response = client.post(
        link, {"full_name": "New Leader", "password1": "Pr4ctical-w0rk!", "password2": "Pr4ctical-w0rk!"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.leader@school.example")
    assert user.role == Role.LEADER and user.person == person
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("network:home")).status_code == 200  # signed in
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 410


@pytest.mark.django_db
def test_invitation_rejects_mismatched_passwords_and_keeps_the_link(client, world):
    _, token = services.invitation_create(
        email="exec@trust.example", role=Role.TRUST_EXECUTIVE, by=world.coordinator, trusts=[world.trust_a]
    )
    url = reverse("network:invitation_accept", args=[token])
    response = client.post(url, {"full_name": "Exec", "password1": "Pr4ctical-w0rk!", "password2": "different-one"})
    assert response.status_code == 200
    assert "The two passwords are different" in response.content.decode()
    assert not User.objects.filter(email="exec@trust.example").exists()
    assert services.invitation_for_token(token) is not None


@pytest.mark.django_db
def test_invited_coordinator_gets_admin_through_the_group_not_superuser(world):
    _, token = services.invitation_create(email="coord2@network.example", role=Role.COORDINATOR, by=world.coordinator)
    user = services.invitation_accept(token=token, password="Pr4ctical-w0rk!")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=services.COORDINATOR_GROUP).exists()
    assert user.has_perm("trusts.change_academy")
    assert not user.has_perm("network.add_user")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kwargs", "field"),
    [(Role.LEADER, {}, "person"), (Role.TRUST_EXECUTIVE, {}, "trusts")],
)
def test_invitation_needs_scope_for_the_role(world, role, kwargs, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.invitation_create(email="someone@x.example", role=role, by=world.coordinator, **kwargs)
    assert field in error.value.message_dict
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_invitation_page_for_coordinators_sends_an_invitation(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("network:invitation_create"),
        {"email": "ceo.b@trust.example", "role": Role.TRUST_EXECUTIVE, "trusts": [world.trust_b.pk]},
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.get().to == "ceo.b@trust.example"
    response = client.post(
        reverse("network:invitation_create"), {"email": "ceo.b@trust.example", "role": Role.TRUST_EXECUTIVE}
    )
    assert "Choose the trust" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_email_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    f.UserFactory(email="forgetful@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "forgetful@school.example"})
    message = OutboxMessage.objects.get(to="forgetful@school.example")
    assert message.status == OutboxMessage.Status.SENT
    assert "password" in mail.outbox[0].subject.lower()


@pytest.mark.django_db
def test_invite_coordinator_command_prints_a_working_link(client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("invite_coordinator", "first@network.example", stdout=out)
    path = re.search(r"http://testserver(/invitations/\S+/)", out.getvalue()).group(1)
    client.post(
        path, {"full_name": "First Coordinator", "password1": "Pr4ctical-w0rk!", "password2": "Pr4ctical-w0rk!"}
    )
    user = User.objects.get(email="first@network.example")
    assert user.is_coordinator and user.is_staff and not user.is_superuser


@pytest.mark.django_db
def test_invitation_page_finds_a_leaders_person_record_by_email(client, world):
    person = f.PersonFactory(academy=world.academy_a, email="Jo.Leader@School.example")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("network:invitation_create"), {"email": "jo.leader@school.example", "role": Role.LEADER}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().person == person
    response = client.post(
        reverse("network:invitation_create"), {"email": "nobody@school.example", "role": Role.LEADER}
    )
    assert "No person with this email is recorded" in response.content.decode()


@pytest.mark.django_db
def test_people_admin_invites_the_selected_people_as_science_leaders(client, world):
    with_academy = f.PersonFactory(academy=world.academy_a)
    trust_wide = f.PersonFactory(academy=None, trust=world.trust_a)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:trusts_person_changelist"),
        {"action": "invite_as_leaders", "_selected_action": [with_academy.pk, trust_wide.pk, world.person_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(Invitation.objects.values_list("person", flat=True)) == [with_academy.pk]
    text = response.content.decode()
    assert "Invited 1" in text and "not at an academy" in text and "already" in text


@pytest.mark.django_db
def test_a_coordinator_cannot_take_over_a_superuser_in_the_admin(client, world):
    root = User.objects.create_superuser(email="root@network.example", password="An0ther-l0ng-pass")
    client.force_login(world.coordinator)
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(password_url, {"password1": "Hijacked-pass-99", "password2": "Hijacked-pass-99"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:network_user_change", args=[root.pk]), {"email": "attacker@x.example", "role": "coordinator"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@network.example" and root.check_password("An0ther-l0ng-pass")


@pytest.mark.django_db
def test_a_coordinator_cannot_set_another_persons_password(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:auth_user_password_change", args=[world.leader_a.pk])
    assert client.post(url, {"password1": "Hijacked-pass-99", "password2": "Hijacked-pass-99"}).status_code == 403


@pytest.mark.django_db
def test_a_second_invitation_for_the_same_person_cannot_make_a_second_login(world):
    from django.core.exceptions import ValidationError

    person = f.PersonFactory(academy=world.academy_a, email="first@school.example")
    _, first = services.invitation_create(email=person.email, role=Role.LEADER, by=world.coordinator, person=person)
    person.email = "second@school.example"
    person.save()
    _, second = services.invitation_create(email=person.email, role=Role.LEADER, by=world.coordinator, person=person)
    services.invitation_accept(token=first, password="Pr4ctical-w0rk!")
    with pytest.raises(ValidationError, match="already has an account"):
        services.invitation_accept(token=second, password="Pr4ctical-w0rk!")
    assert User.objects.filter(person=person).count() == 1
