"""The hook between a six-lens rating and the evidence log (issue 11, impact/evidence).

Until the evidence log exists a rating rests on its written evidence and its KPIs. When
it lands, `impact.evidence.selectors.evidence_for_lenses(*, review) -> {lens: [item]}`
(one query, items in scope for the reader) is called here, and the review page lists
each lens's items with their confidence. The lead wires it at merge; nothing else here
needs to change.
"""

from django.utils.module_loading import import_string

SOURCE = "impact.evidence.selectors.evidence_for_lenses"


def evidence_items(review) -> dict[str, list] | None:
    """{lens: [evidence item]} for `review`, or None while the evidence log is absent."""
    try:
        selector = import_string(SOURCE)
    except ImportError:
        return None
    return selector(review=review)
