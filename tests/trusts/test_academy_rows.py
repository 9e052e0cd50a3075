"""The academies table's rows are written in Python (trusts/templatetags/academy_table.py).
They must be the markup the template wrote, character for character: the old row
template, kept here as the reference, is rendered for every kind of row and compared."""

import itertools
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse

from tests import factories as f
from trusts.models import Academy, CommunityType, SupportTier, Trust

DJANGO = engines["django"]
# templates/trusts/includes/academy_table.html's rows before they moved to Python, but
# for an unknown pupil count: a dash, where `|intcomma|default:"–"` wrote "None".
REFERENCE = DJANGO.from_string(
    """{% load humanize %}{% for a in academies %}
    <tr>
      <td class="stack-title"><a href="{% url 'trusts:academy_detail' a.urn %}">{{ a.name }}</a>{% if not a.is_open %} <span class="badge text-bg-secondary">Closed</span>{% endif %}</td>
      <td class="stack-inline" data-label="URN">{{ a.urn }}</td>
      {% if show_trust %}<td data-label="Trust">{{ a.trust|default:"–" }}</td>{% endif %}
      <td class="stack-inline" data-label="Region">{{ a.region|default:"–" }}</td>
      <td class="stack-inline" data-label="Community">{{ a.get_community_type_display|default:"–" }}</td>
      <td class="text-end stack-inline" data-label="Pupils">{% if a.pupils_on_roll is not None %}{{ a.pupils_on_roll|intcomma }}{% else %}–{% endif %}</td>
      <td class="text-end stack-inline" data-label="% FSM">{% if a.percent_fsm is not None %}{{ a.percent_fsm|floatformat:1 }}{% else %}–{% endif %}</td>
      <td class="stack-inline" data-label="Support tier">{{ a.get_support_tier_display|default:"–" }}</td>
    </tr>
{% endfor %}"""
)  # fmt: skip
TAG = DJANGO.from_string("{% load academy_table %}{% academy_rows academies show_trust %}")


def _academies() -> list[Academy]:
    trust = Trust(pk=1, name="Pennine & <Co>")
    made = []
    combos = itertools.product(
        (None, trust), (True, False), ("", "north_west", "atlantis"), ("", *CommunityType.values[:2], "odd"),
        (None, 0, 987, 1234567), (None, Decimal("0.00"), Decimal("21.55"), Decimal("7.04")), ("", *SupportTier.values),
    )  # fmt: skip
    for n, (trust_, is_open, region, community, pupils, fsm, tier) in enumerate(combos):
        made.append(
            Academy(
                pk=n + 1,
                urn=100000 + n,
                name=f"Brook & <High> {n}",
                trust=trust_,
                is_open=is_open,
                region=region,
                community_type=community,
                pupils_on_roll=pupils,
                percent_fsm=fsm,
                support_tier=tier,
            )  # fmt: skip
        )
    return made


@pytest.mark.parametrize("show_trust", [True, False, ""])
def test_the_rows_are_the_templates(show_trust):
    academies = _academies()
    expected = REFERENCE.render({"academies": academies, "show_trust": show_trust})
    written = TAG.render({"academies": academies, "show_trust": show_trust})
    assert written.replace("\n", "") == expected.replace("\n", "")  # the loop's line breaks aside
    assert written.count("<tr>") == len(academies)


@pytest.mark.django_db
def test_the_pages_show_the_rows(client, world):
    client.force_login(world.executive_a)
    html = client.get(reverse("trusts:trust_detail", args=[world.trust_a.pk])).content.decode()
    assert f'<a href="{reverse("trusts:academy_detail", args=[world.academy_a.urn])}">Academy A</a>' in html
    f.AcademyFactory(trust=world.trust_a, name="Old & <Closed>", is_open=False)
    client.force_login(world.coordinator)
    listed = client.get(reverse("trusts:academy_list")).content.decode()
    assert 'Old &amp; &lt;Closed&gt;</a> <span class="badge text-bg-secondary">Closed</span>' in listed


def test_an_unknown_pupil_count_is_a_dash_not_none():
    written = TAG.render({"academies": [Academy(pk=1, urn=100001, name="New School", pupils_on_roll=None)]})
    assert 'data-label="Pupils">–</td>' in written and "None" not in written


@pytest.mark.django_db
def test_an_academy_page_says_an_unknown_pupil_count_is_not_recorded(client, world):
    world.academy_a.pupils_on_roll = None
    world.academy_a.save()
    client.force_login(world.coordinator)
    html = client.get(reverse("trusts:academy_detail", args=[world.academy_a.urn])).content.decode()
    assert 'Pupils on roll</dt><dd class="col-sm-7">Not recorded</dd>' in html and "None" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("show_trust", [True, False])
def test_table_rows_read_from_the_database_are_written_as_academies_are(show_trust):
    """The academy list and a trust's page hand the tag named tuples
    (`trusts.selectors.table_rows`), the executive's home hands it academies: the same
    rows either way, the trust's name included, and a row without a trust."""
    from trusts.selectors import table_rows

    trust = f.TrustFactory(name="Pennine & <Co>")
    for n, academy in enumerate(_academies()[::37]):
        academy.pk, academy.trust = None, (trust if n % 2 else None)
        academy.save()
    academies = Academy.objects.select_related("trust").order_by("name")
    rows = list(table_rows(academies))
    assert len(rows) > 10 and {row.trust__name for row in rows} == {None, "Pennine & <Co>"}
    expected = TAG.render({"academies": list(academies), "show_trust": show_trust})
    assert TAG.render({"academies": rows, "show_trust": show_trust}) == expected
