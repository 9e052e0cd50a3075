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
from network.programme.membership.models import Outcome
from network.programme.membership.rows import reasons_list
from network.templatetags.quick import local_date

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


# -- The whole row ------------------------------------------------------------------------
# Besides its controls, a row was a dozen more variables through the template engine
# (the academy, its trust, the outcome, who changed or confirmed it and when) and the
# reasons' list: 25 rows were still about a third of the page (speed, issue 14).
OUTCOMES = dict(Outcome.choices)


def _who(user, otherwise: str = "") -> str:
    """A user as `{{ user }}` shows them (their name, else their email), escaped."""
    return esc(str(user)) if user is not None else otherwise


@register.simple_tag
def review_row(proposal, form=None) -> SafeString:
    """One row of the review table: the academy, the proposal and its reasons, and
    either the controls to decide it (`form`) or the decision already confirmed."""
    p, academy = proposal, proposal.academy
    where = f"URN {academy.urn}"
    if p.trust_id is not None:
        where += f" · {esc(p.trust.name)}"
    if not p.membership_id:
        where += " · not a member"
    changed = ""
    if p.override_outcome:
        changed = f"Changed by {_who(p.overridden_by, 'a coordinator')}, {local_date(p.overridden_at, 'd/m/Y')}</p>"
    changed_under_controls = f'<p class="small mb-0 mt-1">{changed}' if changed else ""
    changed_under_decision = f'<p class="small mb-0">{changed}' if changed else ""
    cells = [
        f'<th scope="row">{esc(academy.name)}<br><span class="small fw-normal text-body-secondary">{where}</span></th>',
        f'<td data-label="Proposed">{esc(OUTCOMES.get(p.outcome, p.outcome))}</td>',
        f'<td data-label="Reasons and data used">{reasons_list(p.reasons)}</td>',
    ]
    if form:
        controls = review_controls(form, academy.name)
        cells += [
            f'<td data-label="Decision">\n        {controls["decision"]}\n        {changed_under_controls}\n      </td>',
            f'<td data-label="Reason for a change">\n        {controls["reason"]}\n      </td>',
            f'<td data-label="Confirm">\n        {controls["confirm"]}\n      </td>',
        ]
    else:
        confirmed_by = f", {_who(p.confirmed_by)}" if p.confirmed_by is not None else ""
        cells += [
            f'<td data-label="Decision">{esc(p.get_final_outcome_display())}{changed_under_decision}</td>',
            f'<td data-label="Reason for a change">{esc(p.override_reason or "–")}</td>',
            f'<td data-label="Confirmed"><span class="badge text-bg-success">Confirmed</span><br>'
            f'<span class="small">{local_date(p.confirmed_at, "d/m/Y")}{confirmed_by}</span></td>',
        ]
    return SafeString("<tr>\n      " + "\n      ".join(cells) + "\n    </tr>")
