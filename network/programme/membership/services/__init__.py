"""Writes for the membership year, one module per concern:

- `years`: which policy applies; building and opening membership years;
- `letters`: who at an academy hears, and the letters (outbox, once per key);
- `invoices`: the fee and extra charges;
- `invitations`: invitations to join or renew, acceptance, lapsing;
- `applications`: applications with evidence, referral, decisions;
- `at_risk`: the mid-year flag after a grade 3 or 4 inspection.

Each service is keyword-only, runs in one transaction and queues its emails through the
outbox with a key per (membership, kind, recipient), so a retry never sends twice. The
annual review's own writes (run, confirm) are in `network.programme.membership.review`.
Callers import from the module that holds the function.
"""
