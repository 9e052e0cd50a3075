"""`{% review_controls %}` (network/templatetags/review_table.py) writes a review row's
controls and labels as the page's template wrote them (before they moved to Python for
speed): the same elements, attributes and text, bound or not, valid or not."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from network.programme.membership.forms import ProposalDecisionFormSet

# The row's controls as templates/network/membership/review_detail.html wrote them.
TEMPLATE_MARKUP = """
<input type="hidden" name="{{ form.proposal.html_name }}" value="{{ form.proposal.value }}" id="{{ form.proposal.auto_id }}">
<label class="visually-hidden" for="{{ form.outcome.id_for_label }}">Decision for {{ academy }}</label>
<select name="{{ form.outcome.html_name }}" id="{{ form.outcome.id_for_label }}" class="form-select form-select-sm review-decision">
  {% for value, label in form.fields.outcome.choices %}<option value="{{ value }}"{% if form.outcome.value|default:'' == value %} selected{% endif %}>{{ label }}</option>{% endfor %}
</select>
|
<label class="visually-hidden" for="{{ form.reason.id_for_label }}">Reason for changing the outcome for {{ academy }}</label>
<input type="text" name="{{ form.reason.html_name }}" id="{{ form.reason.id_for_label }}" class="form-control form-control-sm review-reason" maxlength="1000" value="{{ form.reason.value|default:'' }}">
|
<input class="form-check-input" type="checkbox" name="{{ form.confirm.html_name }}" id="{{ form.confirm.id_for_label }}"{% if form.confirm.value %} checked{% endif %}>
<label class="visually-hidden" for="{{ form.confirm.id_for_label }}">Confirm the outcome for {{ academy }}</label>
"""
TAG = "{% load review_table %}{% review_controls form academy as c %}{{ c.decision }}|{{ c.reason }}|{{ c.confirm }}"
ACADEMY = "St Mary's & <All> Saints"


def both(form):
    context = {"form": form, "academy": ACADEMY}
    return [Template(markup).render(Context(context)).split("|") for markup in (TEMPLATE_MARKUP, TAG)]


def unbound(**initial):
    return ProposalDecisionFormSet(initial=[{"proposal": 7, "outcome": "", "reason": "", **initial}]).forms[0]


def bound(**data):
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", **{f"form-0-{k}": v for k, v in data.items()}}
    formset = ProposalDecisionFormSet(data)
    formset.is_valid()
    return formset.forms[0]


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda: unbound(), id="proposed"),
        pytest.param(lambda: unbound(outcome="refer", reason='New head: "look again" & <soon>'), id="changed"),
        pytest.param(lambda: bound(proposal="7", outcome="invite", reason="Typed <b>", confirm="on"), id="typed"),
        pytest.param(lambda: bound(proposal="7", outcome=""), id="typed-proposed"),
        pytest.param(lambda: bound(proposal="x", outcome="bogus", reason="r" * 1001), id="forged"),
        pytest.param(lambda: bound(), id="empty"),
    ],
)
def test_the_tag_writes_what_the_template_wrote(form):
    form = form()
    template, tag = both(form)
    for before, after in zip(template, tag, strict=True):
        assert parse_html(after) == parse_html(before)


def test_each_control_is_labelled_with_the_academy():
    _, (decision, reason, confirm) = both(unbound())
    assert '<label class="visually-hidden" for="id_form-0-outcome">Decision for St Mary&#x27;s &amp; &lt;All&gt;' in (
        decision
    )
    assert 'for="id_form-0-reason">Reason for changing the outcome for St Mary' in reason
    assert 'id="id_form-0-confirm">' in confirm and 'for="id_form-0-confirm">Confirm the outcome' in confirm
