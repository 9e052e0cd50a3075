"""Writes for academy visits, one module per concern; import each service from the
module that holds it:

- `kinds`: a network's visit kinds (with fees) and policy, written with their defaults;
- `requests`: request a visit, the annual visit for every member, propose, cancel;
- `scheduling`: schedule and reschedule (no one on two things at once, caps), complete
  (and the invoice line of a chargeable kind);
- `reports`: drafts, submission, the host's agreement or request for changes;
- `actions`: agreed actions tracked to closure (the visit closes with the last one);
- `reminders`: the sweeps (reminders, joining link, reports and actions overdue);
- `notifications`: the visit emails, through the outbox.

Every service is keyword-only, runs in one transaction, logs the move (`VisitLog`) and
refuses with a `ValidationError` (bad input, an illegal move) or `NotAllowed` (a rule).
"""
