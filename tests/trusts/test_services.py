import datetime

import pytest

from tests import factories as f
from trusts.models import AcademyTrustMembership
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
        AcademyTrustMembership.objects.create(academy=academy, trust=f.TrustFactory(), joined_on=datetime.date(2024, 1, 1))
