"""`{% review_controls form academy as controls %}`: the controls of one row of the
membership review table (templates/network/membership/review_detail.html), each with the
visually hidden label that names its academy, written in Python.

Written by the template, a row's four controls and three labels were some twenty
variables (names, ids, values) and a loop over the seven options: with 25 rows, nearly a
third of the page's time (speed, issue 14). The markup is the one the template wrote,
attribute for attribute (tests/network/test_review_table.py compares them, bound and
unbound); the select is the shared writer's (network/base/widgets.py). As before, a
control carries no `aria-invalid` or `aria-describedby`: the table shows no message
under a field (a row's fields fail only on forged input), so there is none to point at.
The cell around each control, and what the row shows besides, stay in the template."""

from django import template
from django.utils.safestring import SafeString

from network.base.widgets import flat_choices, select_html
from network.base.widgets import quick_escape as esc

register = template.Library()


@register.simple_tag
def review_controls(form, academy) -> dict[str, SafeString]:
    """One row's controls for `form` (a `ProposalDecisionForm`), by cell: "decision" (the
    proposal's hidden id and the decision select), "reason" and "confirm"."""
    proposal, outcome, reason, confirm = (form[name] for name in ("proposal", "outcome", "reason", "confirm"))
    academy = esc(academy)
    # Each label's `for` is its control's id.
    outcome_id, reason_id, confirm_id = (esc(field.id_for_label) for field in (outcome, reason, confirm))
    widget = outcome.field.widget
    select = select_html(
        outcome.html_name,
        {"id": outcome.id_for_label, "class": "form-select form-select-sm review-decision"},
        flat_choices(widget.choices),
        widget.format_value(outcome.value()),
    )
    return {
        "decision": SafeString(
            f'<input type="hidden" name="{esc(proposal.html_name)}" value="{esc(proposal.value())}"'
            f' id="{esc(proposal.auto_id)}">\n'
            f'<label class="visually-hidden" for="{outcome_id}">Decision for {academy}</label>\n'
            f"{select}"
        ),
        "reason": SafeString(
            f'<label class="visually-hidden" for="{reason_id}">Reason for changing the outcome for {academy}</label>\n'
            f'<input type="text" name="{esc(reason.html_name)}" id="{reason_id}"'
            f' class="form-control form-control-sm review-reason" maxlength="{reason.field.max_length}"'
            f' value="{esc(reason.value() or "")}">'
        ),
        "confirm": SafeString(
            f'<input class="form-check-input" type="checkbox" name="{esc(confirm.html_name)}"'
            f' id="{confirm_id}"{" checked" if confirm.value() else ""}>\n'
            f'<label class="visually-hidden" for="{confirm_id}">Confirm the outcome for {academy}</label>'
        ),
    }
