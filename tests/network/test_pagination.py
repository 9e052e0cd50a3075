import pytest
from django.urls import reverse

from tests import factories as f


@pytest.mark.django_db
def test_next_page_link_keeps_the_filters(client, world):
    for n in range(30):
        f.AcademyFactory(trust=world.trust_a, name=f"Coastal {n:02d}", community_type="coastal")
    client.force_login(world.coordinator)
    response = client.get(reverse("trusts:academy_list"), {"community_type": "coastal"})
    content = response.content.decode()
    assert "Page 1 of 2" in content
    assert 'href="?community_type=coastal&amp;page=2"' in content
    second = client.get(reverse("trusts:academy_list"), {"community_type": "coastal", "page": 2})
    assert [a.name for a in second.context["page"].object_list] == [
        "Coastal 25",
        "Coastal 26",
        "Coastal 27",
        "Coastal 28",
        "Coastal 29",
    ]
