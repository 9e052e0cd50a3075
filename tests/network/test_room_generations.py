"""Each room has its own generation (`network.base.changes`): a write moves on the
generation of its room alone, and a value remembered from the register
(`changes.REGISTER`: trusts and network) is left as it is by the bookings, registers and
survey answers of a busy morning, while a change to the register still reaches it on
the next load.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import pytest
from django.db import transaction
from django.urls import reverse

from network.base import changes, remembered
from tests import factories as f
from tests.conftest import count_queries

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


def _room(room):
    return changes.generation((room,))


def test_a_write_moves_on_its_own_room_alone():
    person, event = f.PersonFactory(), f.EventFactory()  # written before we look
    before = {room: _room(room) for room in changes.COUNTED_APPS}
    f.BookingFactory(event=event, person=person)
    after = {room: _room(room) for room in changes.COUNTED_APPS}
    assert after["events"] != before["events"]
    assert [after[room] for room in ("trusts", "network", "impact")] == [
        before[room] for room in ("trusts", "network", "impact")
    ]
    f.InspectionFactory(academy=person.academy)
    last = {room: _room(room) for room in changes.COUNTED_APPS}
    assert last["trusts"] != after["trusts"] and last["events"] == after["events"]


def test_a_booking_leaves_the_register_and_a_register_change_reaches_it():
    person = f.PersonFactory()
    event = f.EventFactory()
    register = _room("trusts"), _room("network")
    f.BookingFactory(event=event, person=person)
    assert (_room("trusts"), _room("network")) == register
    calls = []
    assert remembered.remember("probe", (1,), lambda: calls.append(1) or "kept", reads=changes.REGISTER) == "kept"
    f.BookingFactory(event=f.EventFactory(), person=person)  # a booking: kept
    assert remembered.remember("probe", (1,), lambda: calls.append(1) or "again", reads=changes.REGISTER) == "kept"
    assert remembered.remember("probe", (2,), lambda: "every room") == "every room"
    f.BookingFactory(event=f.EventFactory(), person=person)  # read from every room: computed afresh
    assert remembered.remember("probe", (2,), lambda: "afresh") == "afresh"
    f.InspectionFactory(academy=person.academy)  # the register: computed afresh
    assert remembered.remember("probe", (1,), lambda: calls.append(1) or "again", reads=changes.REGISTER) == "again"
    assert len(calls) == 2


def test_inside_a_transaction_that_booked_nothing_is_remembered_even_from_the_register():
    person, event = f.PersonFactory(), f.EventFactory()
    with transaction.atomic():
        f.BookingFactory(event=event, person=person)
        assert changes.written_here()
        assert remembered.remember("probe", (3,), lambda: "computed", reads=changes.REGISTER) == "computed"
        assert remembered.remember("probe", (3,), lambda: "not kept", reads=changes.REGISTER) == "not kept"


def test_a_pending_move_on_is_registered_once_per_room():
    from django.db import connection

    def pending():
        movers = {changes.EVERY_ROOM, *changes.MOVERS.values()}
        return [func.rooms for _ids, func, _robust in connection.run_on_commit if func in movers]

    with transaction.atomic():
        changes.records_changed("events")
        changes.records_changed("events")
        assert pending() == [("events",)]
        changes.records_changed()
        changes.records_changed()
        changes.records_changed("trusts")  # already pending, with every room
        assert pending() == [("events",), changes.COUNTED_APPS]
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            changes.records_changed("impact")
            raise RuntimeError
        assert pending() == [] and not changes.written_here()  # the savepoint took it


def test_the_academy_page_keeps_its_record_through_a_booking_and_shows_a_new_inspection(client):
    academy = f.AcademyFactory(name="Oak Academy")
    leader = f.leader(academy)
    event = f.EventFactory()
    url = reverse("trusts:academy_detail", args=[academy.urn])
    client.force_login(leader)
    client.get(url)
    kept = count_queries(client, url)
    f.BookingFactory(event=event, person=leader.person)
    assert count_queries(client, url) == kept  # the record and the people were not read again
    f.InspectionFactory(academy=academy, inspection_date="2026-10-07")
    assert count_queries(client, url) > kept
    assert "07/10/2026" in client.get(url).content.decode()


def test_what_is_remembered_from_the_register_reads_the_register_alone(client, world, monkeypatch):
    """A guard for every value declared `reads=changes.REGISTER`, today's and the next
    one's: each query its computing runs names only the register's tables (trusts_ and
    network_), as each role opens the pages that remember one. A value that read a
    booking or a survey would otherwise show it stale for up to ten minutes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.MembershipFactory(year=f.MembershipYearFactory(network=world.network), academy=world.academy_a)
    real, read = remembered.remember, {}

    def watching(name, parts, compute, *, fresh=None, reads=changes.COUNTED_APPS):
        def watched():
            with CaptureQueriesContext(connection) as queries:
                value = compute()
            read.setdefault(name, []).extend(query["sql"] for query in queries.captured_queries)
            return value

        return real(name, parts, watched if reads == changes.REGISTER else compute, fresh=fresh, reads=reads)

    monkeypatch.setattr(remembered, "remember", watching)
    pages = {
        world.leader_a: ("network:home", "trusts:academy_list", "network:directory", "events:event_list"),
        world.coordinator: ("network:home", "network:membership_list", "network:directory"),
        world.executive_a: ("network:home", "network:directory"),
    }
    for user, names in pages.items():
        client.force_login(user)
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (user, name)
        assert client.get(reverse("trusts:academy_detail", args=[world.academy_a.urn])).status_code == 200
    expected = {"leader-home", "academy-record", "academy-people", "trust-choices", "hub-choices", "network-trusts"}
    expected |= {"directory-count", "directory-page", "directory-filters", "coordinator-home", "membership-list"}
    expected |= {"membership-filters"}
    assert expected <= set(read), expected - set(read)
    for name, queries in read.items():
        for sql in queries:
            assert '"events_' not in sql and '"impact_' not in sql, (name, sql)
