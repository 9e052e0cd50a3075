"""Domain signals of the grants, for rooms above the programme to hear without the
programme importing them: `impact` may listen to `grant_outcome_published` and log the
report as evidence (or read `grants.selectors.published_outcomes`). Receivers return
how many things they changed."""

from django.dispatch import Signal

# Sent with `report` (a published final GrantReport) after it is filed.
grant_outcome_published = Signal()
