"""`{% field_widget %}` (network/templatetags/fields.py) writes a select and a text box
as Django does, character for character: empty, chosen, invalid, model choices and
plain choices, a box's value escaped; other widgets are Django's own."""

import pytest
from django import forms
from django.template import Context, Template

from network.base.memo import Bounded
from tests import factories as f
from trusts.models import Designation, Region

pytestmark = pytest.mark.django_db


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, help_text="Words <b>to find</b>")
    designation = forms.ModelChoiceField(Designation.objects.all(), required=False, empty_label="Any designation")
    region = forms.ChoiceField(choices=[("", "Any region"), *Region.choices], required=False)
    must = forms.ChoiceField(choices=[("a", "A & B"), ("b", '"Quoted"')])
    grouped = forms.ChoiceField(choices=[("Group", [("x", "X")]), ("y", "Y")], required=False)


def tag(field, css=""):
    return Template("{% load fields %}{% field_widget field css=css %}").render(Context({"field": field, "css": css}))


def django(field, css=""):
    return str(field.as_widget(attrs={"class": css} if css else None))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"designation": "x", "region": "Nowhere"},
        {"region": "London", "must": "b", "q": "a \"quoted\" <b> & 'c'"},
        {"q": "x" * 250},  # too long: the box is marked invalid
        "chosen",
    ],
)
@pytest.mark.parametrize("css", ["", "select form-select"])
def test_the_tag_writes_what_django_writes(data, css):
    f.DesignationFactory(name="Lead <Practitioner>")
    chosen = f.DesignationFactory(name="SLE & friends")
    if data == "chosen":
        data = {"designation": str(chosen.pk), "grouped": "x"}
    form = FilterForm(data)
    form.is_valid() if data is not None else None
    for name in form.fields:
        assert tag(form[name], css) == django(form[name], css), name


def test_a_model_select_is_one_query(django_assert_num_queries):
    f.DesignationFactory.create_batch(3)
    form = FilterForm()
    with django_assert_num_queries(1):
        tag(form["designation"])


def test_quick_select_writes_what_django_writes():
    """The widget form of the same writer (network/base/widgets.py), for forms that are
    rendered whole: the membership list's and the attendance year's."""
    from django import forms

    from network.base.widgets import QuickSelect

    choices = [("", "Any"), ("a", "Alpha & Co"), ("b", "<Beta>")]
    for value in ("", "a", "b", "zzz"):
        quick = QuickSelect(choices=choices, attrs={"class": "form-select", "required": True})
        plain = forms.Select(choices=choices, attrs={"class": "form-select", "required": True})
        assert quick.render("pick", value, {"id": "id_pick"}) == plain.render("pick", value, {"id": "id_pick"})


def test_quick_select_escapes_as_django_does():
    """The writer escapes without Django's `escape` (network/base/widgets.py `quick_escape`):
    lazy labels are translated, safe labels kept, attribute values escaped, True written
    bare and False left out, as Django's templates do."""
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from network.base.widgets import QuickSelect

    choices = [("", gettext_lazy("Any")), ("<a>", mark_safe("<em>Safe</em>")), (3, 'Say "hi" & go')]
    attrs = {"class": "form-select", "data-note": 'a "quoted" <note>', "required": True, "disabled": False}
    for value in ("", "<a>", 3, None):
        quick = QuickSelect(choices=choices, attrs=attrs)
        plain = forms.Select(choices=choices, attrs=attrs)
        assert quick.render("pick&", value, {"id": "id_pick"}) == plain.render("pick&", value, {"id": "id_pick"})


def test_a_written_select_is_kept_and_never_confused_with_another(monkeypatch):
    """`select_html` keeps what it wrote, keyed by everything that makes it: the same
    select is written once; equal-looking choices of other types are written apart."""
    from django.utils.safestring import SafeString

    from network.base import widgets

    monkeypatch.setattr(widgets, "_selects", Bounded(512))
    written = []
    real = widgets._write_select
    monkeypatch.setattr(widgets, "_write_select", lambda *args: written.append(args[0]) or real(*args))
    choices = [("", "Any"), (1, "North & <West>")]
    first = widgets.select_html("hub", {"id": "id_hub"}, choices, [""])
    assert widgets.select_html("hub", {"id": "id_hub"}, list(choices), [""]) == first
    assert written == ["hub"]  # the second was looked up
    assert "selected>Any" in first and "North &amp; &lt;West&gt;" in first
    assert widgets.select_html("hub", {"id": "id_hub"}, choices, ["1"]) != first  # another value chosen
    # True == 1 and a safe label equals its text, but each writes differently.
    assert 'value="True"' in widgets.select_html("hub", {"id": "id_hub"}, [("", "Any"), (True, "North & <West>")], [""])
    safe = widgets.select_html("hub", {"id": "id_hub"}, [("", "Any"), (1, SafeString("North & <West>"))], [""])
    assert "North & <West>" in safe
    assert "required" in widgets.select_html("hub", {"id": "id_hub", "required": True}, choices, [""])
    assert 'required="1"' in widgets.select_html("hub", {"id": "id_hub", "required": 1}, choices, [""])
