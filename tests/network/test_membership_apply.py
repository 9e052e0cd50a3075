"""Applying to join: only for this membership year or the next, the year row made in
the same transaction as the application (a refused application leaves nothing behind),
and a double-clicked submit makes one application and shows it."""

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.programme.membership import policy as membership_policy
from network.programme.membership.forms import ApplicationForm
from network.programme.membership.models import (
    Membership,
    MembershipApplication,
    MembershipYear,
    year_label,
    year_start,
)
from network.programme.membership.selectors import applicable_academies
from network.programme.membership.services import applications, years
from tests import factories as f


@pytest.fixture
def labels(world):
    """(this year, next year) for the world's network under the default policy."""
    this = membership_policy.policy_for(world.network).year_containing(timezone.localdate())[0]
    return this, year_label(year_start(this) + 1)


def apply(client, world, year, follow=False, **extra):
    return client.post(
        reverse("network:membership_apply"),
        {
            "academy": world.academy_a.pk,
            "network": world.network.pk,
            "year": year,
            "evidence_text": "Rising results.",
            **extra,
        },
        follow=follow,
    )


def test_application_form_offers_this_year_and_next_only(world, labels):
    form = ApplicationForm(academies=applicable_academies(world.leader_a))
    assert [value for value, _ in form.fields["year"].choices] == list(labels)
    assert form.initial["year"] == labels[0]


@pytest.mark.parametrize("year", ["2031-32", "2001-02", "nonsense"])
def test_membership_apply_for_another_year_is_refused_and_creates_no_year(client, world, labels, year):
    client.force_login(world.leader_a)
    response = apply(client, world, year)
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not MembershipYear.objects.exists()
    assert not Membership.objects.exists()


def test_membership_apply_for_next_year_creates_the_year_with_the_application(client, world, labels):
    client.force_login(world.leader_a)
    response = apply(client, world, labels[1])
    assert response.status_code == 302
    assert list(MembershipYear.objects.values_list("label", flat=True)) == [labels[1]]
    assert Membership.objects.get().year.label == labels[1]


def test_application_submit_refuses_a_year_that_is_neither_this_nor_next(world, labels):
    with pytest.raises(ValidationError, match="this membership year or the next"):
        applications.application_submit(
            academy=world.academy_a, network=world.network, label="2031-32", evidence_text="Please", by=world.leader_a
        )
    assert not MembershipYear.objects.exists()


def test_application_submit_refused_leaves_no_year_behind(world, labels):
    # The year is created inside the application's transaction: refused, it is rolled back.
    policy = membership_policy.policy_for(world.network)
    policy.prerequisite_network = f.NetworkFactory(name="Wider Secondary Network", slug="wider")
    policy.save()
    with pytest.raises(ValidationError, match="Only active members of Wider Secondary Network"):
        applications.application_submit(
            academy=world.academy_a, network=world.network, label=labels[1], evidence_text="Please", by=world.leader_a
        )
    assert not MembershipYear.objects.filter(network=world.network).exists()


def evidence_files_on_disk():
    root = Path(settings.MEDIA_ROOT) / "membership" / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_membership_apply_double_submit_makes_one_application_and_shows_it(client, world, labels):
    client.force_login(world.leader_a)
    first = apply(client, world, labels[0], files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 one")])
    second = apply(client, world, labels[0], files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 two")], follow=True)

    application = MembershipApplication.objects.get()
    detail = reverse("network:membership_application_detail", args=[application.pk])
    assert first["Location"] == detail
    assert second.redirect_chain == [(detail, 302)]
    assert "Academy A has already applied" in html.unescape(second.content.decode())
    assert [p.read_bytes() for p in evidence_files_on_disk()] == [b"%PDF-1.4 one"]  # the second's files not kept


def test_membership_apply_when_already_invited_still_says_so(client, world, labels):
    year = years.membership_year_get_or_create(network=world.network, label=labels[0])
    f.MembershipFactory(year=year, academy=world.academy_a, status="invited")
    client.force_login(world.leader_a)
    response = apply(client, world, labels[0])
    assert response.status_code == 200
    assert "Academy A already has a membership record" in html.unescape(response.content.decode())


def test_application_submit_that_fails_after_saving_files_leaves_none_on_disk(world, labels, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(applications, "notify_users", broken)
    with pytest.raises(RuntimeError):
        applications.application_submit(
            academy=world.academy_a, network=world.network, label=labels[0], evidence_text="Please",
            files=[SimpleUploadedFile("a.pdf", b"%PDF a"), SimpleUploadedFile("b.xlsx", b"PK b")], by=world.leader_a,
        )  # fmt: skip
    assert not MembershipApplication.objects.exists()
    assert evidence_files_on_disk() == []
