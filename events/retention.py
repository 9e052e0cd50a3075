"""How long the events room keeps personal data (network/base/privacy/retention.py). Bookings and
whether someone attended are the network's figures and the CPD record; the detail of how
a register was taken (minutes, who ticked it, override reasons, its change history) goes
after RETENTION_ATTENDANCE_DETAIL_DAYS."""

from django.db.models import Q

from events.models import Attendance
from network.base.privacy.retention import Rule

# An override keeps a reason (a database constraint); after the period it says this.
REASON_REMOVED = "Removed after the retention period."


def trim_attendance_detail(cutoff) -> dict[str, int]:
    """For events that ended before `cutoff`: minutes attended, who marked the register
    and override reasons are removed, and the register's change history deleted.
    Whether the person attended (their CPD hours, their certificate) stays."""
    old = Attendance.objects.filter(booking__event__ends_at__lt=cutoff)
    detailed = old.filter(
        Q(minutes_attended__isnull=False)
        | Q(marked_by__isnull=False)
        | (Q(source=Attendance.Source.OVERRIDE) & ~Q(override_reason=REASON_REMOVED))
        | (~Q(source=Attendance.Source.OVERRIDE) & ~Q(override_reason=""))
    )
    overrides = Q(source=Attendance.Source.OVERRIDE)
    trimmed = detailed.filter(overrides).update(minutes_attended=None, marked_by=None, override_reason=REASON_REMOVED)
    trimmed += detailed.exclude(overrides).update(minutes_attended=None, marked_by=None, override_reason="")
    versions, _ = Attendance.history.filter(booking__event__ends_at__lt=cutoff).delete()
    return {"attendance records trimmed": trimmed, "register history versions deleted": versions}


RULES = [
    Rule(
        key="bookings",
        what="Your CPD bookings, and whether you attended (your CPD hours and certificates)",
        why="To run events, keep your CPD record, and count participation per trust",
        who_sees="You; the network's coordinators; your trust's executives (counts by academy); "
        "your academy's head of science when a booking needs approval",
        period_text="While the network runs; if you are erased they stay, without your name, so the counts stay true",
        order=40,
    ),
    Rule(
        key="attendance_detail",
        setting="RETENTION_ATTENDANCE_DETAIL_DAYS",
        apply=trim_attendance_detail,
        what="How your attendance was recorded: minutes in a webinar, who took the register, reasons for changes",
        why="To check a CPD record or a certificate if it is questioned",
        who_sees="The network's coordinators; the lead of the hub that ran the event",
        counted_from="after the event",
        removal="the detail is removed and the register's history deleted; whether you attended stays",
        order=50,
    ),
]
