"""Domain signals of the trusts room.

`trusts` may not import the rooms above it (the arrows point one way), yet the programme
must react when an inspection arrives: a grade 3 or 4 flags a member "at risk". So every
writer of inspections — the Ofsted and GIAS importers, the admin — sends this signal,
inside its own transaction, and the programme listens (network/membership/signals.py).
"""

from django.dispatch import Signal

# Sent with `inspection=` after an inspection is created or its outcome changes. A
# receiver may return how many things it changed (e.g. memberships flagged at risk), which
# importers add up in their report.
inspection_recorded = Signal()


def announce_inspection(inspection) -> int:
    """Tell the listeners about a new or changed inspection; return what they changed."""
    responses = inspection_recorded.send(sender=type(inspection), inspection=inspection)
    return sum(int(answer or 0) for _receiver, answer in responses)
