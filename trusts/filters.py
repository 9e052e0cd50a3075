import django_filters
from django.db.models import Q

from network.base.filters import FilterSet
from network.base.inputs import parse_int
from trusts.models import Academy, CommunityType, Phase, Region, SupportTier, Trust


class AcademyFilter(FilterSet):
    q = django_filters.CharFilter(label="Name or URN", method="search")
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any region")
    community_type = django_filters.ChoiceFilter(choices=CommunityType.choices, empty_label="Any community")
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label="Any phase")
    support_tier = django_filters.ChoiceFilter(choices=SupportTier.choices, empty_label="Any tier")
    trust = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any trust")

    class Meta:
        model = Academy
        fields = ["q", "trust", "region", "community_type", "phase", "support_tier"]

    def __init__(self, *args, trusts=None, trust_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the trusts this user may see are offered (scoped by the caller). With the
        # list given as `trust_rows`, the scoped queryset only checks a trust that was
        # sent: `trusts` may then be a callable, called only for one. Building the door's
        # condition on every page was a tenth of the list's CPU (speed, issue 14).
        if callable(trusts):
            sent = trust_rows is None or (self.data or {}).get("trust")
            trusts = trusts() if sent else Trust.objects.none()  # none: nothing sent to check
        self.scope_choices("trust", trusts, trust_rows)

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__icontains=value)
        urn = parse_int(value)
        if urn is not None:
            condition |= Q(urn=urn)
        return queryset.filter(condition)
