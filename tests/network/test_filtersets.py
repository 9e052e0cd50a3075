"""Filter sets build their form class once (network/base/filters.py): whatever one request
sets on its form (the trusts it may choose from, the rows offered, a field left out) must
stay that request's, and the declaration itself must never change."""

import django_filters
import pytest
from django.http import QueryDict
from django.urls import reverse

from events.filters import EventFilter
from network.base.filters import FilterSet
from tests import factories as f
from trusts.filters import AcademyFilter
from trusts.models import Academy, Trust


def test_the_form_class_is_built_once_and_styled():
    first, second = AcademyFilter(QueryDict()), AcademyFilter(QueryDict("q=x"))
    assert type(first.form) is type(second.form) is AcademyFilter().get_form_class()
    assert first.form is not second.form and first.form.fields is not second.form.fields
    classes = {name: field.widget.attrs["class"] for name, field in first.form.fields.items()}
    assert classes == {"q": "form-control", "trust": "form-select", "region": "form-select",
                       "community_type": "form-select", "phase": "form-select", "support_tier": "form-select"}  # fmt: skip
    events = EventFilter().get_form_class().base_fields
    assert events["for_me"].widget.attrs["class"] == "form-check-input"
    assert events["date_from"].widget.input_type == "date"
    assert events["date_from"].widget.attrs == {"class": "form-control"}
    # The declared filters keep no field: each filter set's own are copies.
    assert not any(hasattr(declared, "_field") for declared in AcademyFilter.base_filters.values())


@pytest.mark.django_db
def test_one_requests_trusts_are_never_anothers():
    mine, theirs = f.TrustFactory(name="Mine"), f.TrustFactory(name="Theirs")
    for_me = AcademyFilter(
        QueryDict(f"trust={theirs.pk}"), trusts=Trust.objects.filter(pk=mine.pk), trust_rows=[(mine.pk, "Mine")]
    )
    for_them = AcademyFilter(
        QueryDict(f"trust={theirs.pk}"), trusts=Trust.objects.filter(pk=theirs.pk), trust_rows=[(theirs.pk, "Theirs")]
    )
    assert not for_me.is_valid() and "trust" in for_me.errors  # another's trust is refused
    assert for_them.is_valid() and for_them.form.cleaned_data["trust"] == theirs
    assert for_me.form.fields["trust"].widget.choices == [("", "Any trust"), (mine.pk, "Mine")]
    assert for_them.form.fields["trust"].widget.choices == [("", "Any trust"), (theirs.pk, "Theirs")]
    # The class's own field offers nothing and checks against nothing.
    assert AcademyFilter().get_form_class().base_fields["trust"].queryset is None


@pytest.mark.django_db
def test_a_trust_sent_to_a_filter_with_no_trusts_is_refused():
    trust = f.TrustFactory()
    unscoped = AcademyFilter(QueryDict(f"trust={trust.pk}"), trusts=Trust.objects.none())
    assert not unscoped.is_valid()


@pytest.mark.django_db
def test_a_field_left_out_is_left_out_for_that_request_only(world):
    without = EventFilter(QueryDict("for_me=on"), person=None)
    with_person = EventFilter(QueryDict("for_me=on"), person=world.leader_a.person)
    assert "for_me" not in without.form.fields and "for_me" not in without.filters
    assert "for_me" in with_person.form.fields and "for_me" in with_person.filters
    assert "for_me" in EventFilter(person=world.leader_a.person).form.fields
    assert without.is_valid() and with_person.is_valid()


def test_a_queryset_made_from_the_request_is_refused():
    class ByRequest(FilterSet):
        trust = django_filters.ModelChoiceFilter(queryset=lambda request: Trust.objects.all())

        class Meta:
            model = Academy
            fields = ["trust"]

    with pytest.raises(TypeError, match="ByRequest.trust"):
        ByRequest().get_form_class()


@pytest.mark.django_db
def test_the_lists_offer_each_reader_their_own_trusts(client, world):
    """End to end: an executive's academy list offers their trust; the coordinator's
    next load offers every trust, and the executive's after it their own again."""
    client.force_login(world.executive_a)
    first = client.get(reverse("trusts:academy_list")).content.decode()
    client.force_login(world.coordinator)
    every = client.get(reverse("trusts:academy_list")).content.decode()
    client.force_login(world.executive_a)
    again = client.get(reverse("trusts:academy_list")).content.decode()
    assert ">Trust B</option>" in every and ">Trust A</option>" in every
    assert ">Trust A</option>" in first and ">Trust B</option>" not in first
    assert ">Trust A</option>" in again and ">Trust B</option>" not in again


@pytest.mark.django_db
def test_with_no_scope_given_nothing_may_be_chosen(world):
    sent = AcademyFilter(QueryDict(f"trust={world.trust_a.pk}"))
    assert not sent.is_valid() and "trust" in sent.errors
    events = EventFilter(QueryDict(f"hub={f.HubFactory().pk}"))
    assert not events.is_valid() and "hub" in events.errors


class Plain(FilterSet):
    """A filter set that scopes nothing in its own __init__, as django-filter's docs would."""

    region = django_filters.CharFilter()
    trust = django_filters.ModelChoiceFilter(queryset=None)

    class Meta:
        model = Academy
        fields = ["region", "trust"]


@pytest.mark.django_db
def test_django_filters_own_ways_still_hold_or_fail_loudly(world):
    """A filter taken away through `self.filters` takes its field too; a queryset set on
    the filter (which the shared form never reads) is refused, not left unchecked."""
    taken = Plain(QueryDict("region=north_west"))
    del taken.filters["region"]
    assert list(taken.form.fields) == ["trust"] and taken.is_valid()
    misused = Plain(QueryDict(f"trust={world.trust_a.pk}"))
    misused.filters["trust"].queryset = Trust.objects.all()
    with pytest.raises(TypeError, match="scope_choices"):
        misused.is_valid()
