"""Writes for CPD events and bookings, one module per concern; import each service from
the module that holds it:

- `booking`: book, approve, decline, cancel, confirm an offer (the booking lifecycle);
- `waitlist`: promotion from the waitlist, offers, and the expiry sweeps;
- `event_admin`: cancel or duplicate an event;
- `reminders`: reminder, joining-link and survey-due sweeps;
- `notifications`: the booking emails and signed approval links;
- `places`: the row locks and place counts the others share.

Attendance, certificates and calendar feeds are in `events.attendance.services`.
"""
