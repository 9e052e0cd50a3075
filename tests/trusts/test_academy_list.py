"""The academy list's filter: a full page without JavaScript, the results alone for htmx."""

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
