"""Showing a personal-data export: as a readable page (HTML) or a JSON download. Used by
"My data" (a person's own) and by the admin (a coordinator answering a request made by
letter or phone). A platform module: rooms' admin pages call `export_response`."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import patch_cache_control

from network.base.personal_data import Export


def cell(value) -> dict:
    """One value as the page shows it: {"text": ..., "list": None}, or a list of texts."""
    if isinstance(value, list | tuple):
        return {"text": None, "list": [cell(v)["text"] for v in value]}
    if isinstance(value, dict):
        return {"text": None, "list": [f"{key.replace('_', ' ')}: {cell(v)['text']}" for key, v in value.items()]}
    if value is None or value == "":
        text = "–"
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, datetime.datetime):
        text = f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    elif isinstance(value, datetime.date):
        text = f"{value:%d/%m/%Y}"
    else:
        text = str(value)
    return {"text": text, "list": None}


def label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def tables(export: Export) -> list[dict]:
    """The sections as tables for the template: headers and rows of cells."""
    out = []
    for section, rows in export.sections:
        headers = list(rows[0]) if rows else []
        out.append(
            {
                "section": section,
                "headers": [label(h) for h in headers],
                "fields": [(label(h), cell(rows[0][h])) for h in headers] if section.single and rows else [],
                "rows": [[cell(row[h]) for h in headers] for row in rows],
            }
        )
    return out


def _no_store(response):
    # A copy of someone's personal data must not stay in a shared or browser cache.
    patch_cache_control(response, no_store=True, private=True)
    return response


def export_response(request, export: Export, *, template: str, context: dict | None = None):
    """The page, or with ?format=json the download."""
    if request.GET.get("format") == "json":
        payload = json.dumps(export.as_json(), indent=2, cls=DjangoJSONEncoder, ensure_ascii=False)
        response = HttpResponse(payload, content_type="application/json; charset=utf-8")
        name = slugify(export.subject) or "personal-data"
        response["Content-Disposition"] = f'attachment; filename="{name}-{export.produced_at:%Y-%m-%d}.json"'
        return _no_store(response)
    page = {"export": export, "tables": tables(export), **(context or {})}
    return _no_store(TemplateResponse(request, template, page))
