"""The academy list's filter: a full page without JavaScript, the results alone for htmx;
the name search's statistics for the planner (PostgreSQL)."""

import pytest
from django.urls import reverse

from tests import factories as f


def test_academy_filter_answers_htmx_with_the_results_alone(client, world):
    f.AcademyFactory(trust=world.trust_a, name="Riverside Science Academy")
    client.force_login(world.coordinator)
    url = reverse("trusts:academy_list") + "?q=Riverside"

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert "<html" in page.text and 'id="academy-results"' in page.text
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="academy-results"')
    assert "Riverside Science Academy" in fragment.text
    assert "HX-Request" in fragment["Vary"]


def test_academy_filter_fragment_keeps_the_users_scope(client, world):
    client.force_login(world.executive_a)
    fragment = client.get(reverse("trusts:academy_list"), headers={"HX-Request": "true"})
    assert world.academy_a.name in fragment.text
    assert world.academy_b.name not in fragment.text


@pytest.mark.postgres
def test_the_name_search_has_statistics_for_the_planner(postgres):
    """trusts migration 0008: without statistics on UPPER(name), PostgreSQL guessed one
    match for any word and sorted every match; with them it reads the name index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxname = 'academy_upper_name_stats'"
        )
        (definition,) = cursor.fetchone()
    assert "upper(name::text)" in definition and "trusts_academy" in definition
