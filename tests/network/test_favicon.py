"""Every page names its icon, and the icon is served: no 404 (a console error in every
browser) on every page, the admin's included."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests import factories as f

ICON = re.compile(r'<link rel="icon" href="/static/(?P<path>[^"]+)"')


def linked_icon(html: str) -> str:
    match = ICON.search(html)
    assert match, "the page links no icon"
    return match["path"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/admin/", "/admin/trusts/person/"])
def test_pages_link_an_icon_that_exists(client, world, url):
    if url != "/accounts/login/":
        client.force_login(world.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert finders.find(linked_icon(response.content.decode()))


def test_the_icon_is_linked_for_every_role(client, world):
    for user in (world.visitor, world.leader_a, world.executive_a, world.steering):
        client.force_login(user)
        assert finders.find(linked_icon(client.get("/").content.decode()))


def test_favicon_ico_answers_with_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico")


def test_admin_pages_carry_the_admin_stylesheet(client, db):
    client.force_login(f.coordinator())
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in client.get("/admin/events/event/").content.decode()


def test_the_hub_list_names_every_region_filter(client, world):
    from tests import factories as f

    f.HubFactory(network=world.network, name="Physics Curriculum Hub", kind="curriculum", region="")
    f.HubFactory(network=world.network, name="Pennine Cluster", region="North West")
    client.force_login(world.coordinator)
    html = client.get("/admin/network/hub/").content.decode()
    assert 'href="?region="' not in html
    assert ">No region</a>" in html
    blank = client.get("/admin/network/hub/?region=-").context["cl"].result_list
    assert sorted(h.name for h in blank) == sorted(["Physics Curriculum Hub", world.hub.name])
