"""The membership list's rows and the membership status badge are written in Python
(network/programme/membership/rows.py). They must be the markup the templates wrote,
character for character: the old row and badge templates, kept here as the reference,
are rendered for every status and compared."""

import itertools

import pytest
from django.template import engines
from django.urls import reverse

from network.programme.membership import rows
from network.programme.membership.models import Membership, MembershipYear
from network.programme.models import Network
from tests import factories as f
from trusts.models import Academy, Trust

DJANGO = engines["django"]
# templates/network/membership/includes/status.html before it became Python.
BADGE = (
    "<span class=\"badge {% if membership.status == 'active' %}text-bg-success{% elif membership.status == 'invited' "
    "or membership.status == 'applied' or membership.status == 'under_review' %}text-bg-info{% else %}"
    'text-bg-secondary{% endif %}">{{ membership.get_status_display }}</span>{% if membership.at_risk %} '
    '<span class="badge text-bg-warning">At risk</span>{% endif %}'
)
# templates/network/membership/list.html's row before it moved to Python.
ROW = DJANGO.from_string(
    """{% for m in rows %}  <tr>
    <td class="text-nowrap stack-inline" data-label="Year">{{ m.year.label }}</td>
    <td class="stack-inline" data-label="Network">{{ m.year.network.name }}</td>
    <th scope="row">{% if m.academy_in_scope %}<a href="{% url 'network:membership_academy' m.academy.urn %}">{{ m.academy.name }}</a>{% else %}{{ m.academy.name }}{% endif %}</th>
    <td class="stack-inline" data-label="URN">{{ m.academy.urn }}</td>
    <td data-label="Trust at the time">{{ m.trust.name|default:"–" }}</td>
    <td data-label="Status">{% with membership=m %}"""
    + BADGE
    + """{% endwith %}</td>
  </tr>
{% endfor %}"""
)


def _memberships() -> list[Membership]:
    network = Network(pk=1, name="Secondary Science & <Maths> Network")
    year = MembershipYear(pk=1, label="2026-27", network=network)
    trust = Trust(pk=1, name="Pennine & <Co>")
    made = []
    combos = itertools.product(Membership.Status.values, (False, True), (None, trust), (False, True))
    for n, (status, at_risk, trust_, in_scope) in enumerate(combos):
        academy = Academy(pk=n + 1, urn=140000 + n, name=f"Brook & <High> {n}")
        membership = Membership(pk=n + 1, status=status, at_risk=at_risk, year=year, academy=academy, trust=trust_)
        membership.academy_in_scope = in_scope
        made.append(membership)
    return made


def test_the_rows_are_the_templates():
    memberships = _memberships()
    written = "".join(f"  {m.row}\n" for m in rows.with_rows(memberships))
    assert written == ROW.render({"rows": memberships})


def test_the_status_tag_is_the_old_include():
    tag = DJANGO.from_string("{% load membership_tags %}{% membership_status membership %}")
    reference = DJANGO.from_string(BADGE)
    for membership in _memberships():
        assert tag.render({"membership": membership}) == reference.render({"membership": membership})


@pytest.mark.django_db
def test_the_list_links_only_academies_in_the_readers_scope(client, world):
    year = f.MembershipYearFactory(network=world.network)
    f.MembershipFactory(year=year, academy=world.academy_a, status="active")
    f.MembershipFactory(year=year, academy=world.academy_b, status="invited", at_risk=True)
    client.force_login(world.executive_a)
    html = client.get(reverse("network:membership_list")).content.decode()
    assert f'<a href="{reverse("network:membership_academy", args=[world.academy_a.urn])}">' in html
    assert f'href="{reverse("network:membership_academy", args=[world.academy_b.urn])}"' not in html


@pytest.mark.parametrize(
    "reasons", [None, [], ["Ofsted: Good (2023) & <stable>", "Progress 8 percentile 55 over three years"], ["One"]]
)
def test_the_reasons_tag_is_the_old_include(reasons):
    # templates/network/membership/includes/reasons.html before it became Python.
    include = DJANGO.from_string(
        '<ul class="mb-0 small">{% for reason in reasons %}<li>{{ reason }}</li>{% empty %}'
        "<li>No reasons recorded.</li>{% endfor %}</ul>"
    )
    tag = DJANGO.from_string("{% load membership_tags %}{% reasons_list reasons %}")
    assert tag.render({"reasons": reasons}) == include.render({"reasons": reasons})


@pytest.mark.django_db
def test_the_coordinators_links_follow_the_rule_not_the_role(client, world):
    """The invoice download and the management tabs are shown to whoever
    `network.run_membership_year` lets in (the views' own rule), not by comparing roles."""
    url = reverse("network:membership_list")
    client.force_login(world.coordinator)
    html = client.get(url).content.decode()
    assert "Download invoice lines (CSV) for finance" in html and ">Annual review</a>" in html
    client.force_login(world.leader_a)
    html = client.get(url).content.decode()
    assert "Download invoice lines" not in html and ">Annual review</a>" not in html


@pytest.mark.django_db
def test_a_coordinator_the_rule_refuses_sees_no_management_links(client, world, monkeypatch):
    from network.templatetags import may

    real = may.has
    monkeypatch.setattr(
        may, "has", lambda user, perm, obj=None: perm != "network.run_membership_year" and real(user, perm, obj)
    )
    client.force_login(world.coordinator)
    html = client.get(reverse("network:membership_list")).content.decode()
    assert "Download invoice lines" not in html and ">Annual review</a>" not in html
