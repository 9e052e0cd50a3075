"""Form widgets the platform's pages share."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A <select> with the same markup as Django's, written in Python. Django renders
    every <option> through a template of its own, which for a filter listing every trust
    was over half of a list page's cost (issue 14). Option groups are not supported:
    the filters that use this have none."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]) if option["attrs"] else "", str(option["label"]))
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options)
