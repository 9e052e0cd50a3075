"""Retention: the daily sweep removes what is past its period, by a table of cases (just
inside / just past each period, and what each rule must never touch), logs what it
removed, and removes nothing on a second run. The privacy page is written from the same
configuration."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance
from events.retention import REASON_REMOVED
from network.base.models import Invitation, OutboxMessage
from network.base.privacy import retention
from network.base.privacy.models import RetentionRemoval
from network.base.tasks import retention_sweep
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _ago(days, extra=timedelta(0)):
    return timezone.now() - timedelta(days=days) + extra


# Each case: (name, make(world) -> object, removed?(object after the sweep) -> bool, expected)
def _outbox(status, days, extra=timedelta(0)):
    def make(world):
        return OutboxMessage.objects.create(
            key=f"case:{status}:{days}:{extra}", to="a@school.example", subject="Reminder",
            body_text="Dear Amira", body_html="<p>Dear Amira</p>", status=status, created_at=_ago(days, extra),
        )  # fmt: skip

    return make


def _invitation(days, accepted=False, extra=timedelta(0)):
    def make(world):
        created = _ago(days, extra)
        return Invitation.objects.create(
            email="invited@school.example", role="visitor", token_digest=f"d{days}{accepted}{extra}",
            created_at=created, expires_at=created + timedelta(days=14), accepted_at=created if accepted else None,
        )  # fmt: skip

    return make


def _attendance(days_since_event, *, source="platform_csv", extra=timedelta(0)):
    def make(world):
        ended = _ago(days_since_event, extra)
        event = f.EventFactory(network=world.network, starts_at=ended - timedelta(hours=2), ends_at=ended)
        booking = f.BookingFactory(event=event, person=world.person_a)
        attendance = Attendance.objects.create(
            booking=booking, attended=True, minutes_attended=80, source=source, marked_by=world.coordinator,
            overridden_by=world.coordinator if source == "override" else None,
            override_reason="Joined by phone" if source == "override" else "",
        )  # fmt: skip
        attendance.attended = True
        attendance.save()  # a second version in the register's history
        return attendance

    return make


def _import_file(days):
    def make(world):
        from django.core.files.base import ContentFile

        from network.base.imports.models import ImportJob

        job = ImportJob(kind="resource", target="trusts.Person", original_name="people.csv", status="done",
                        created_at=_ago(days))  # fmt: skip
        job.file.save("people.csv", ContentFile(b"email\nnia@school.example\n"))
        return job

    return make


def _file_deleted(job) -> bool:
    path = job.file.path
    job.refresh_from_db()
    import os

    return job.file.name == "" and not os.path.exists(path)


def _gone(obj) -> bool:
    return not type(obj).objects.filter(pk=obj.pk).exists()


def _emptied(message) -> bool:
    message.refresh_from_db()
    return message.body_text == "" and message.body_html == "" and message.subject == "Reminder"


def _trimmed(attendance) -> bool:
    attendance.refresh_from_db()
    kept = attendance.attended is True  # the CPD record and certificate stand
    detail_gone = attendance.minutes_attended is None and attendance.marked_by_id is None
    reason_ok = attendance.override_reason in ("", REASON_REMOVED)
    return kept and detail_gone and reason_ok and not attendance.history.exists()


CASES = [
    # Email bodies: 90 days after they were written, once sent (or given up, or held).
    ("sent email, 89 days", _outbox("sent", 89), _emptied, False),
    ("sent email, 90 days and a minute", _outbox("sent", 90, -timedelta(minutes=1)), _emptied, True),
    ("failed email, 91 days", _outbox("failed", 91), _emptied, True),
    ("held demo email, 91 days", _outbox("held", 91), _emptied, True),
    ("email still to send, 200 days", _outbox("pending", 200), _emptied, False),
    # Unanswered invitations: a year after they were sent; accepted ones are kept.
    ("unanswered invitation, 364 days", _invitation(364), _gone, False),
    ("unanswered invitation, 366 days", _invitation(366), _gone, True),
    ("accepted invitation, 5 years", _invitation(5 * 365, accepted=True), _gone, False),
    # Uploaded import files: 30 days; the job and its report stay.
    ("import file, 29 days", _import_file(29), _file_deleted, False),
    ("import file, 31 days", _import_file(31), _file_deleted, True),
    # Attendance detail: six years after the event; whether they attended stays.
    ("attendance, event 6 years less a day ago", _attendance(6 * 365 - 1), _trimmed, False),
    ("attendance, event 6 years and a day ago", _attendance(6 * 365 + 1), _trimmed, True),
    ("override, event 7 years ago", _attendance(7 * 365, source="override"), _trimmed, True),
]


@pytest.mark.parametrize("name, make, removed, expected", CASES, ids=[c[0] for c in CASES])
def test_retention_sweep(world, name, make, removed, expected):
    obj = make(world)
    retention_sweep()
    assert removed(obj) is expected, name
    logged = RetentionRemoval.objects.exists()
    assert logged is expected, "only what was removed is logged"
    assert retention.retention_sweep() == {}, "a second run removes nothing"


def test_periods_come_from_settings(world, settings):
    settings.RETENTION_OUTBOX_BODIES_DAYS = 10
    message = _outbox("sent", 11)(world)
    retention.retention_sweep()
    assert _emptied(message)
    assert RetentionRemoval.objects.get().rule == "outbox_bodies"


def test_the_log_says_what_was_removed_and_up_to_when(world):
    for days in (400, 500):
        _invitation(days)(world)
    _attendance(7 * 365)(world)
    now = timezone.now()
    assert retention.retention_sweep(now=now) == {
        "unanswered_invitations": {"invitations deleted": 2},
        "attendance_detail": {"attendance records trimmed": 1, "register history versions deleted": 2},
    }
    log = {(r.rule, r.what): r.count for r in RetentionRemoval.objects.all()}
    assert log[("unanswered_invitations", "invitations deleted")] == 2
    invitations = RetentionRemoval.objects.get(rule="unanswered_invitations")
    assert invitations.cutoff == now - timedelta(days=365)


def test_a_failing_rule_does_not_stop_the_others(world, monkeypatch):
    def broken(cutoff):
        raise RuntimeError("disk full")

    monkeypatch.setitem(retention.RULES, "broken", retention.Rule(
        key="broken", what="x", why="x", who_sees="x", setting="RETENTION_OUTBOX_BODIES_DAYS", apply=broken, order=1
    ))  # fmt: skip
    _invitation(400)(world)
    assert retention.retention_sweep() == {"unanswered_invitations": {"invitations deleted": 1}}


def test_one_line_adds_a_rule(world, settings):
    """The hook the survey free text uses: one registration, and the sweep and the
    privacy page both know it."""
    settings.RETENTION_EXPERTISE_NOTES_DAYS = 30
    rule = retention.blank_fields(
        "expertise_notes", "trusts.Person", fields=["expertise_summary"], date_field="updated_at",
        what="Expertise notes", why="A test", who_sees="Nobody", counted_from="after they were written",
    )  # fmt: skip
    person = f.PersonFactory(expertise_summary="Required practicals")
    type(person).objects.filter(pk=person.pk).update(updated_at=_ago(31))
    retention.register(rule)
    try:
        assert retention.retention_sweep()["expertise_notes"] == {"people emptied": 1}
        person.refresh_from_db()
        assert person.expertise_summary == ""
    finally:
        del retention.RULES["expertise_notes"]


def test_every_retention_period_has_a_setting():
    for rule in retention.rules():
        if rule.apply is not None:
            assert isinstance(rule.days, int) and rule.days > 0, rule.key


def test_privacy_page_is_written_from_the_configuration(client, settings):
    settings.RETENTION_OUTBOX_BODIES_DAYS = 45
    page = client.get(reverse("network:privacy"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "45 days after it was written" in html
    assert "6 years after the event" in html
    assert "1 year after it was sent" in html
    for rule in retention.rules():
        assert rule.what.replace("'", "&#x27;") in html


def test_the_footer_links_to_the_privacy_page(client):
    page = client.get(reverse("account_login"))
    assert reverse("network:privacy").encode() in page.content
