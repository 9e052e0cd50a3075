"""The one door, tested directly: each role sees exactly its scope."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from network.base import access
from network.base.models import Invitation
from network.programme.membership.models import Membership
from tests import factories as f
from trusts.models import Academy, Person, Trust


def _names(qs):
    return sorted(str(o) for o in qs)


@pytest.mark.django_db
def test_coordinator_sees_every_trust(world):
    assert _names(access.scoped(world.coordinator, Trust)) == ["Trust A", "Trust B"]


@pytest.mark.django_db
def test_trust_executive_sees_only_their_trusts(world):
    assert _names(access.scoped(world.executive_a, Trust)) == ["Trust A"]
    assert list(access.scoped(world.executive_a, Academy)) == [world.academy_a]
    assert world.person_b not in access.scoped(world.executive_a, Person)


@pytest.mark.django_db
def test_executive_of_two_trusts_sees_both(world):
    world.executive_a.trusts.add(world.trust_b)
    fresh = type(world.executive_a).objects.get(pk=world.executive_a.pk)  # no cached scope
    assert _names(access.scoped(fresh, Trust)) == ["Trust A", "Trust B"]


@pytest.mark.django_db
def test_leader_sees_their_academy_and_colleagues_only(world):
    colleague = f.PersonFactory(academy=world.academy_a)
    assert list(access.scoped(world.leader_a, Academy)) == [world.academy_a]
    people = set(access.scoped(world.leader_a, Person))
    assert people == {world.person_a, colleague}


@pytest.mark.django_db
def test_academy_that_moves_trust_leaves_the_old_executives_scope(world):
    from trusts.services import academy_move_trust

    academy_move_trust(academy=world.academy_a, trust=world.trust_b, on=__import__("datetime").date(2026, 9, 1))
    assert world.academy_a not in access.scoped(world.executive_a, Academy)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(world):
    assert not access.scoped(AnonymousUser(), Trust).exists()
    world.executive_a.is_active = False
    assert not access.scoped(world.executive_a, Trust).exists()


@pytest.mark.django_db
def test_a_model_without_a_rule_fails_closed(world):
    with pytest.raises(ImproperlyConfigured):
        access.scoped(world.coordinator, Invitation)


@pytest.mark.django_db
def test_scoping_a_filtered_queryset_keeps_the_filter(world):
    qs = Academy.objects.filter(name="Academy B")
    assert list(access.scoped(world.coordinator, qs)) == [world.academy_b]
    assert list(access.scoped(world.executive_a, qs)) == []


@pytest.mark.django_db
def test_directory_lists_only_people_who_consented(world):
    hidden = f.PersonFactory(academy=world.academy_b, directory_consent=False)
    visible = set(access.directory(world.leader_a))
    assert world.person_b in visible
    assert hidden not in visible


@pytest.mark.django_db
def test_directory_is_limited_to_the_users_networks(world):
    outsider_trust = f.TrustFactory(name="Trust C")
    outsider = f.PersonFactory(academy=f.AcademyFactory(trust=outsider_trust), directory_consent=True)
    assert outsider not in set(access.directory(world.leader_a))
    assert outsider in set(access.directory(world.coordinator))


@pytest.mark.django_db
def test_reach_words_a_list_by_the_doors_scope_not_the_role(client, world):
    """`access.reach` (and the `reach` filter) is how pages word their lists; it follows
    `sees_every` and the leader's academy, so the wording cannot claim a wider scope."""
    reach = access.reach
    assert reach(world.coordinator, Membership) == "all"
    assert reach(world.leader_a, Membership) == "academy"
    assert reach(world.executive_a, Membership) == "trusts"
    url = reverse("network:membership_outcomes")
    for user, words in (
        (world.coordinator, "for every academy,"),
        (world.leader_a, "for your academy,"),
        (world.executive_a, "for your trust's academies,"),
    ):
        client.force_login(user)
        assert words in client.get(url).content.decode().replace("&#x27;", "'"), user.role


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "executive", "coordinator", "steering", "inactive"])
def test_own_rows_are_the_persons_own_within_the_scope_for_every_role(world, role):
    """`access.own` reads a person's own rows with their rule's person lookups alone: for
    every role exactly the part of `scoped` reached that way, for a plain lookup (a
    booking's person) and a many-valued one (a survey, through its invitations)."""
    from events.models import Booking
    from impact.models import Survey, SurveyInvitation

    person = f.PersonFactory(academy=world.academy_a)
    user = {
        "leader": lambda: f.UserFactory(role="leader", person=person),
        "executive": lambda: f.trust_executive(world.trust_a, person=person),
        "coordinator": lambda: f.coordinator(person=person),
        "steering": lambda: f.steering_member(person=person),
        "inactive": lambda: f.UserFactory(role="leader", person=person, is_active=False),
    }[role]()
    event = f.EventFactory()
    mine = f.BookingFactory(event=event, person=person)
    f.BookingFactory(event=event, person=f.PersonFactory(academy=world.academy_a))  # a colleague's
    f.BookingFactory(event=event, person=world.person_b)  # another trust's
    invited, other = f.SurveyFactory(), f.SurveyFactory()
    expires = timezone.now() + datetime.timedelta(days=14)
    SurveyInvitation.objects.create(survey=invited, person=person, anonymous=True, expires_at=expires)
    SurveyInvitation.objects.create(survey=other, person=world.person_b, anonymous=True, expires_at=expires)
    for model, expected in ((Booking, [mine]), (Survey, [invited])):
        own = list(access.own(user, model))
        assert own == ([] if role == "inactive" else expected), model
        assert set(own) == set(access.scoped(user, model)) & set(expected), model
    assert not access.own(world.visitor, Booking).exists()  # no person: nothing is theirs
    assert not access.own(AnonymousUser(), Booking).exists()
    with pytest.raises(ImproperlyConfigured):
        access.own(user, Invitation)
