"""Dashboards and the report are remembered between readers (`network.base.remembered`)
until a committed write to a counted record: the second reader pays no aggregate, a
correction shows on the next page, and one trust's figures are never another's.

These tests commit (`transactional_db`): inside a transaction that has written a
counted record, as every `db` test's is, the figures are computed and never kept."""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse

from events.models import Attendance, Booking
from impact.report import renderers
from network.base import changes, remembered
from network.base.models import OutboxMessage
from tests import factories as f
from tests.conftest import count_queries
from tests.impact import dashboard_helpers as dh

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def remembering(settings):
    """On by default only with Redis (CI); these tests use the process's cache."""
    settings.FIGURES_REMEMBERED = True


@pytest.fixture
def network_of_two():
    network = f.NetworkFactory()
    events = dh.webinars(network, 2)
    ours = dh.grow_trust(network, name="Oak Learning Trust", people=3, events=events)
    theirs = dh.grow_trust(network, name="Ash Academies Trust", people=6, events=events)
    return network, ours, theirs, events


def _leaders_tile(response) -> int:
    tile = next(t for t in response.context["dashboard"].tiles if t.label == "Leaders taking part")
    shown = re.search(r'Leaders taking part</h2>\s*<p class="display-6 mb-1">(\d+)<', response.content.decode())
    assert shown is not None and int(shown.group(1)) == tile.value  # the kept HTML is of these figures
    return tile.value


def test_the_second_reader_pays_no_aggregate_and_sees_the_same_figures(client, network_of_two):
    network, ours, _theirs, _events = network_of_two
    client.force_login(f.trust_executive(ours))
    url = reverse("impact:trust_dashboard", args=[ours.pk])
    cold = count_queries(client, url)
    first = client.get(url)
    warm = count_queries(client, url)
    assert warm <= 9 < cold  # session, user, second factor, the trust through the door, menu, filters
    assert _leaders_tile(first) == 3
    assert _leaders_tile(client.get(url)) == 3
    assert b"Figures as of" in first.content


def test_a_committed_correction_shows_on_the_next_page(client, network_of_two):
    network, ours, _theirs, events = network_of_two
    client.force_login(f.trust_executive(ours))
    url = reverse("impact:trust_dashboard", args=[ours.pk])
    assert _leaders_tile(client.get(url)) == 3
    newcomer = f.PersonFactory(academy=ours.academies.first())
    booking = f.BookingFactory(event=events[0], person=newcomer, status=Booking.Status.CONFIRMED)
    Attendance.objects.create(booking=booking, attended=True, source="register")
    assert _leaders_tile(client.get(url)) == 4


def test_one_trusts_figures_are_never_anothers(client, network_of_two):
    _network, ours, theirs, _events = network_of_two
    client.force_login(f.coordinator())
    assert _leaders_tile(client.get(reverse("impact:trust_dashboard", args=[ours.pk]))) == 3
    other = client.get(reverse("impact:trust_dashboard", args=[theirs.pk]))
    assert other.context["dashboard"].trust == theirs
    assert _leaders_tile(other) == 6
    # and the executive of one trust still gets a 404 for the other's, cached or not
    client.force_login(f.trust_executive(ours))
    assert client.get(reverse("impact:trust_dashboard", args=[theirs.pk])).status_code == 404


def test_unknown_sort_columns_share_one_computation(client, network_of_two):
    _network, ours, *_ = network_of_two
    client.force_login(f.trust_executive(ours))
    url = reverse("impact:trust_dashboard", args=[ours.pk])
    client.get(url)
    assert count_queries(client, url + "?sort=no-such-column&dir=desc") <= 9


def test_a_second_trusts_dashboard_reuses_the_network_wide_panels(client, network_of_two):
    _network, ours, theirs, _events = network_of_two
    client.force_login(f.coordinator())
    first = count_queries(client, reverse("impact:trust_dashboard", args=[ours.pk]))
    second = count_queries(client, reverse("impact:trust_dashboard", args=[theirs.pk]))
    assert second <= first - 5  # visits, surveys (2), evidence and grants are not read again


def test_the_report_page_and_its_downloads_share_one_computation(client, network_of_two):
    network, *_ = network_of_two
    client.force_login(f.coordinator())
    page = count_queries(client, reverse("impact:report", args=[network.slug]))
    download = count_queries(client, reverse("impact:report_download", args=[network.slug, "json"]))
    assert download <= 6 < page
    assert client.get(reverse("impact:report_download", args=[network.slug, "json"])).json()["computed_at"]


def test_a_pdf_is_made_once_for_the_same_figures(client, network_of_two, monkeypatch):
    network, ours, _theirs, events = network_of_two
    made = []
    monkeypatch.setattr(renderers, "as_pdf", lambda report: made.append(report["computed_at"]) or b"%PDF-1.7 test")
    client.force_login(f.coordinator())
    url = reverse("impact:report_download", args=[network.slug, "pdf"])
    assert client.get(url).content == b"%PDF-1.7 test"
    client.get(url)
    assert len(made) == 1
    newcomer = f.PersonFactory(academy=ours.academies.first())
    Attendance.objects.create(booking=f.BookingFactory(event=events[1], person=newcomer), attended=True)
    client.get(url)
    assert len(made) == 2 and made[1] > made[0]


def test_the_filters_show_their_own_errors_whatever_was_kept(client, network_of_two):
    _network, ours, *_ = network_of_two
    client.force_login(f.trust_executive(ours))
    url = reverse("impact:trust_dashboard", args=[ours.pk])
    assert b"is-invalid" not in client.get(url).content
    assert b"is-invalid" in client.get(url + "?year=1066-67").content
    assert b"is-invalid" not in client.get(url).content


def test_inside_a_transaction_that_wrote_a_counted_record_nothing_is_kept(network_of_two):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with transaction.atomic():
        f.TrustFactory()
        assert remembered.remember("probe", (1,), compute) == 1
        assert remembered.remember("probe", (1,), compute) == 2
    assert remembered.remember("probe", (1,), compute) == 3
    assert remembered.remember("probe", (1,), compute) == 3


def test_a_rolled_back_write_does_not_stop_remembering(network_of_two):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            f.TrustFactory()
            raise RuntimeError
        assert remembered.remember("probe", (2,), lambda: "kept") == "kept"
        assert remembered.remember("probe", (2,), lambda: "computed again") == "kept"


def test_sign_ins_and_the_outbox_do_not_move_the_figures_on():
    assert changes.counts(Attendance) and changes.counts(Booking)
    assert not changes.counts(OutboxMessage) and not changes.counts(Attendance.history.model)
    user = f.UserFactory()  # a new login is counted: made before we look
    before = changes.generation()
    user.last_login = datetime.datetime.now(datetime.UTC)
    user.save(update_fields=["last_login"])
    assert changes.generation() == before
    f.TrustFactory()
    assert changes.generation() != before
    before = changes.generation(("network",))
    user.full_name = "Renamed by the coordinator"  # a booker's name is on remembered rows
    user.save()
    assert changes.generation(("network",)) != before


class _Recorder:
    def __init__(self):
        self.timeouts, self.values = [], {}

    def get(self, key, default=None):
        return self.values.get(key, default)

    def get_many(self, keys):
        return {key: self.values[key] for key in keys if key in self.values}

    def add(self, key, value, timeout=None):
        self.values.setdefault(key, value)
        self.timeouts.append(timeout)

    def set(self, key, value, timeout=None):
        self.values[key] = value
        self.timeouts.append(timeout)

    def set_many(self, values, timeout=None):
        self.values.update(values)
        self.timeouts.append(timeout)


def test_nothing_is_kept_longer_than_ten_minutes_not_even_the_generation(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(remembered, "cache", recorder)
    monkeypatch.setattr(changes, "cache", recorder)
    remembered.remember("probe", ("any",), lambda: 1)
    # Each room's generation, then the figures.
    assert recorder.timeouts == [changes.LIFETIME] * (len(changes.COUNTED_APPS) + 1)
    changes.move_on()
    assert recorder.timeouts[-1] == changes.LIFETIME
    assert changes.LIFETIME <= 10 * 60


class _FailingOver:
    sharing = False  # network.base.cache.ResilientRedisCache while Redis is away


def test_while_redis_is_away_every_request_computes(monkeypatch):
    monkeypatch.setattr(changes, "cache", _FailingOver())
    calls = []
    assert remembered.remember("probe", ("away",), lambda: calls.append(1) or len(calls)) == 1
    assert remembered.remember("probe", ("away",), lambda: calls.append(1) or len(calls)) == 2


def test_without_a_shared_cache_nothing_is_remembered(settings):
    settings.FIGURES_REMEMBERED = False
    calls = []
    remembered.remember("probe", ("alone",), lambda: calls.append(1))
    remembered.remember("probe", ("alone",), lambda: calls.append(1))
    assert len(calls) == 2


def test_a_survey_draft_saved_as_someone_types_does_not_move_the_figures_on(network_of_two):
    network, ours, *_ = network_of_two
    survey = f.SurveyFactory(network=network)
    invitation = f.invitation(survey, f.PersonFactory(academy=ours.academies.first()))
    before = changes.generation()
    invitation.draft = {"q1": "half an answer"}
    invitation.save(update_fields=["draft"])
    assert changes.generation() == before
    invitation.answered_at = invitation.invited_at
    invitation.save(update_fields=["answered_at", "draft"])
    assert changes.generation() != before


def test_history_and_retention_purges_keep_djangos_fast_delete():
    """A delete receiver for every model would make each purge load every row it deletes."""
    from django.db.models.deletion import Collector

    collector = Collector(using="default")
    assert collector.can_fast_delete(Attendance.history.all())
    assert not collector.can_fast_delete(Attendance.objects.all())  # heard: a figure counts it


def test_an_import_written_in_bulk_moves_the_figures_on(network_of_two):
    import io

    from trusts.importers.gias import import_gias

    before = changes.generation()
    source = io.BytesIO(b"URN,EstablishmentName,EstablishmentStatus (name)\n912345,New School,Open\n")
    import_gias(source=source)
    assert changes.generation() != before


def test_a_trusts_cpd_view_is_remembered_per_reader_until_a_register_changes(client, network_of_two, monkeypatch):
    """The trust CPD page (events) keeps its figures by the same rule: the second read
    computes nothing, a register taken shows on the next read, and the key names the
    reader (the figures are read through their scope)."""
    from events.attendance import selectors as cpd

    network, ours, _theirs, events = network_of_two
    computed = []
    compute = cpd._trust_cpd
    monkeypatch.setattr(cpd, "_trust_cpd", lambda *args: computed.append(args[0].pk) or compute(*args))
    executive = f.trust_executive(ours)
    client.force_login(executive)
    url = reverse("events:trust_cpd", args=[ours.pk])
    first = client.get(url)
    assert b"Figures as of" in first.content
    assert client.get(url).context["totals"] == first.context["totals"]
    assert computed == [executive.pk]
    newcomer = f.PersonFactory(academy=ours.academies.first())
    booking = f.BookingFactory(event=events[0], person=newcomer, status=Booking.Status.CONFIRMED)
    Attendance.objects.create(booking=booking, attended=True, source="register")
    assert client.get(url).context["totals"]["attended"] == first.context["totals"]["attended"] + 1
    assert computed == [executive.pk, executive.pk]
    # Another reader of the same trust computes their own, then keeps it.
    coordinator = f.coordinator(email="second@network.example")
    client.force_login(coordinator)
    client.get(url)
    client.get(url)
    assert computed == [executive.pk, executive.pk, coordinator.pk]


def test_a_kept_value_that_time_has_made_wrong_is_computed_afresh():
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    assert remembered.remember("still-to-come", (), compute) == 1
    assert remembered.remember("still-to-come", (), compute, fresh=lambda kept: kept == 1) == 1
    assert remembered.remember("still-to-come", (), compute, fresh=lambda kept: False) == 2  # and kept
    assert remembered.remember("still-to-come", (), compute) == 2
