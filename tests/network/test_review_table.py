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


# -- The whole row -------------------------------------------------------------------------
# templates/network/membership/review_detail.html's row before it moved to Python.
ROW_MARKUP = """{% load l10n review_table membership_tags %}<tr>
      <th scope="row">{{ p.academy.name }}<br><span class="small fw-normal text-body-secondary">URN {{ p.academy.urn|unlocalize }}{% if p.trust %} · {{ p.trust.name }}{% endif %}{% if not p.membership_id %} · not a member{% endif %}</span></th>
      <td data-label="Proposed">{{ p.get_outcome_display }}</td>
      <td data-label="Reasons and data used">{% reasons_list p.reasons %}</td>
      {% if form %}
      {% review_controls form p.academy.name as controls %}
      <td data-label="Decision">
        {{ controls.decision }}
        {% if p.override_outcome %}<p class="small mb-0 mt-1">Changed by {{ p.overridden_by|default:"a coordinator" }}, {{ p.overridden_at|date:"d/m/Y" }}</p>{% endif %}
      </td>
      <td data-label="Reason for a change">
        {{ controls.reason }}
      </td>
      <td data-label="Confirm">
        {{ controls.confirm }}
      </td>
      {% else %}
      <td data-label="Decision">{{ p.get_final_outcome_display }}{% if p.override_outcome %}<p class="small mb-0">Changed by {{ p.overridden_by|default:"a coordinator" }}, {{ p.overridden_at|date:"d/m/Y" }}</p>{% endif %}</td>
      <td data-label="Reason for a change">{{ p.override_reason|default:"–" }}</td>
      <td data-label="Confirmed"><span class="badge text-bg-success">Confirmed</span><br><span class="small">{{ p.confirmed_at|date:"d/m/Y" }}{% if p.confirmed_by %}, {{ p.confirmed_by }}{% endif %}</span></td>
      {% endif %}
    </tr>"""  # fmt: skip


def _proposals():
    import datetime
    import itertools

    from network.base.models import User
    from network.programme.membership.models import Outcome, ReviewProposal
    from trusts.models import Academy, Trust

    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 1 July in the UK
    named, unnamed = User(pk=1, full_name="Kim <Coordinator>", email="k@x.example"), User(pk=2, email="o'n@x.example")
    made = []
    combos = itertools.product(
        (None, Trust(pk=1, name="Pennine & <Co>")), (None, 5), Outcome.values[:3], ("", Outcome.values[-1]),
        (None, named, unnamed), (None, ["Ofsted & <Good>"]), ("", "Because <reason>"),
    )  # fmt: skip
    for n, (trust, membership_id, outcome, override, user, reasons, why) in enumerate(combos):
        proposal = ReviewProposal(
            pk=n + 1, academy=Academy(pk=n + 1, urn=140000 + n, name=f"St Mary's & <All> {n}"), trust=trust,
            membership_id=membership_id, outcome=outcome, override_outcome=override, reasons=reasons,
            override_reason=why, overridden_at=late if override else None, confirmed_at=late,
        )  # fmt: skip
        proposal.overridden_by = user if override else None
        proposal.confirmed_by = user
        made.append(proposal)
    return made


@pytest.mark.parametrize("with_form", [False, True])
def test_the_whole_row_is_what_the_template_wrote(with_form):
    template, tag = Template(ROW_MARKUP), Template("{% load review_table %}{% review_row p form %}")
    for proposal in _proposals():
        form = unbound(outcome=proposal.override_outcome, reason=proposal.override_reason) if with_form else None
        context = {"p": proposal, "form": form}
        assert parse_html(tag.render(Context(context))) == parse_html(template.render(Context(context)))
