"""The static storages remember each file's URL (network/base/static.py): the same URL
as Django's storages write, hashed or not as DEBUG says, and a missing file still
fails every time."""

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.template import engines
from django.test import override_settings

from network.base.static import ManifestStaticFiles, RememberedURLs, StaticFiles


def test_the_portal_uses_the_remembering_storage():
    staticfiles_storage.url("css/portal.css")  # the lazy storage made
    assert isinstance(staticfiles_storage._wrapped, RememberedURLs)  # either, as STATIC_MANIFEST says


def test_a_url_is_djangos_and_is_worked_out_once(monkeypatch):
    storage, django = StaticFiles(), StaticFilesStorage()
    asked = []
    monkeypatch.setattr(StaticFilesStorage, "url", lambda self, name: asked.append(name) or f"/s/{name}")
    assert storage.url("css/portal.css") == storage.url("css/portal.css") == "/s/css/portal.css"
    assert asked == ["css/portal.css"]
    monkeypatch.undo()
    for name in ("css/portal.css", "vendor/htmx-2.0.11/htmx.min.js", "a b/ünï?.css"):
        assert StaticFiles().url(name) == django.url(name)


def _manifest(tmp_path):
    storage = ManifestStaticFiles(location=str(tmp_path))
    storage.hashed_files = {"css/portal.css": "css/portal.0123456789ab.css"}
    return storage


def test_the_manifest_name_unless_debug(tmp_path):
    storage = _manifest(tmp_path)
    with override_settings(DEBUG=False):
        assert storage.url("css/portal.css").endswith("static/css/portal.0123456789ab.css")
    with override_settings(DEBUG=True):
        assert storage.url("css/portal.css").endswith("static/css/portal.css")
    with override_settings(DEBUG=False):
        assert storage.url("css/portal.css").endswith("static/css/portal.0123456789ab.css")


def test_a_file_missing_from_the_manifest_fails_every_time(tmp_path):
    storage = _manifest(tmp_path)
    for _ in range(2):
        with override_settings(DEBUG=False), pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_a_new_static_url_is_used_at_once():
    page = engines["django"].from_string("{% load static %}{% static 'css/portal.css' %}")
    assert page.render({}) == "/static/css/portal.css"
    with override_settings(STATIC_URL="https://cdn.example/assets/"):
        assert page.render({}) == "https://cdn.example/assets/css/portal.css"
    assert page.render({}) == "/static/css/portal.css"
