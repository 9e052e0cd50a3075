import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.base import access
from tests import factories as f
from trusts.models import Academy, AcademyTrustMembership
from trusts.services import academy_move_trust, academy_set_support_tier, trust_on


@pytest.mark.django_db
def test_moving_trust_closes_the_old_membership_and_opens_a_new_one():
    old, new = f.TrustFactory(name="Old"), f.TrustFactory(name="New")
    academy = f.AcademyFactory(trust=old)
    assert academy_move_trust(academy=academy, trust=new, on=datetime.date(2025, 9, 1)) is True
    history = list(AcademyTrustMembership.objects.filter(academy=academy).order_by("joined_on"))
    assert [(m.trust.name, m.left_on) for m in history] == [("Old", datetime.date(2025, 8, 31)), ("New", None)]
    academy.refresh_from_db()
    assert academy.trust == new


@pytest.mark.django_db
def test_moving_to_the_same_trust_changes_nothing():
    academy = f.AcademyFactory()
    assert academy_move_trust(academy=academy, trust=academy.trust, on=datetime.date(2025, 9, 1)) is False
    assert AcademyTrustMembership.objects.filter(academy=academy).count() == 1


@pytest.mark.django_db
def test_participation_is_credited_to_the_trust_on_the_day():
    old, new = f.TrustFactory(), f.TrustFactory()
    academy = f.AcademyFactory(trust=old)
    academy_move_trust(academy=academy, trust=new, on=datetime.date(2025, 9, 1))
    assert trust_on(academy=academy, day=datetime.date(2025, 8, 31)) == old
    assert trust_on(academy=academy, day=datetime.date(2025, 9, 1)) == new
    assert trust_on(academy=academy, day=datetime.date(2019, 1, 1)) is None


@pytest.mark.django_db
def test_support_tier_records_when_and_by_whom(world):
    academy_set_support_tier(academy=world.academy_a, tier="improve", by=world.coordinator)
    world.academy_a.refresh_from_db()
    assert world.academy_a.get_support_tier_display() == "Improve"
    assert world.academy_a.support_tier_set_by == world.coordinator
    latest = world.academy_a.history.first()
    assert latest.support_tier == "improve" and latest.history_user == world.coordinator


@pytest.mark.django_db
def test_only_one_current_trust_per_academy_in_the_database():
    from django.db import IntegrityError

    academy = f.AcademyFactory()
    with pytest.raises(IntegrityError):
        AcademyTrustMembership.objects.create(
            academy=academy, trust=f.TrustFactory(), joined_on=datetime.date(2024, 1, 1)
        )


@pytest.mark.django_db
def test_a_move_on_the_day_the_membership_began_corrects_it_in_place():
    first, second, third = f.TrustFactory(), f.TrustFactory(), f.TrustFactory()
    academy = f.AcademyFactory(trust=first)
    academy_move_trust(academy=academy, trust=second, on=datetime.date(2025, 9, 1))
    academy_move_trust(academy=academy, trust=third, on=datetime.date(2025, 9, 1))
    history = [
        (m.trust, m.joined_on, m.left_on)
        for m in AcademyTrustMembership.objects.filter(academy=academy).order_by("joined_on")
    ]
    assert history == [
        (first, datetime.date(2020, 9, 1), datetime.date(2025, 8, 31)),
        (third, datetime.date(2025, 9, 1), None),
    ]
    assert trust_on(academy=academy, day=datetime.date(2025, 9, 1)) == third


@pytest.mark.django_db
def test_a_move_dated_before_the_current_membership_is_refused():
    from django.core.exceptions import ValidationError

    academy = f.AcademyFactory()
    academy_move_trust(academy=academy, trust=f.TrustFactory(), on=datetime.date(2025, 9, 1))
    with pytest.raises(ValidationError, match="must be dated on or after"):
        academy_move_trust(academy=academy, trust=f.TrustFactory(), on=datetime.date(2025, 8, 2))
    assert AcademyTrustMembership.objects.filter(academy=academy).count() == 2


@pytest.mark.django_db
def test_changing_the_trust_in_the_admin_records_the_move(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:trusts_academy_change", args=[world.academy_a.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)}
    data.update({"trust": world.trust_b.pk, "_save": "Save"})
    for prefix in ("trust_history", "inspections", "performance"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert trust_on(academy=world.academy_a, day=timezone.localdate()) == world.trust_b
    assert world.academy_a not in set(access.scoped(world.executive_a, Academy))


@pytest.mark.django_db
def test_a_spreadsheet_import_that_changes_the_trust_records_the_move(world):
    import tablib

    from trusts.resources import AcademyResource

    dataset = tablib.Dataset(headers=["urn", "name", "trust_gias_uid"])
    dataset.append([world.academy_a.urn, world.academy_a.name, world.trust_b.gias_uid])
    result = AcademyResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert trust_on(academy=world.academy_a, day=timezone.localdate()) == world.trust_b
