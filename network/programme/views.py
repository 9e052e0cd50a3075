"""The network's own pages: each role's home and the expertise directory."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from network.base.models import Role
from network.base.rules import has
from network.base.web import url_for_each
from network.programme import directory_search, selectors
from network.programme.forms import DirectorySearchForm
from network.programme.membership.views import steering_home_context
from trusts.models import JobRole

PAGE_SIZE = 25


@login_required
def home(request):
    user = request.user
    if user.is_coordinator:
        return render(request, "network/home_coordinator.html", selectors.coordinator_overview(user))
    if user.role == Role.TRUST_EXECUTIVE:
        return render(request, "network/home_executive.html", selectors.executive_overview(user))
    if user.role == Role.LEADER:
        return render(request, "network/home_leader.html", selectors.leader_overview(user))
    if user.role == Role.STEERING:
        return render(request, "network/home_steering.html", steering_home_context(user))
    return render(request, "network/home_visitor.html", {})


@login_required
def directory(request):
    user = request.user
    if not has(user, "network.search_directory"):
        # Say why, rather than an empty list that reads "nobody has shared yet".
        return render(request, "network/directory_unavailable.html")
    form = DirectorySearchForm(
        request.GET or None, hubs=selectors.hub_choices(user), choices=selectors.directory_filter_choices(user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "expertise": filters.get("expertise"),
        "designation": filters.get("designation"),
        "hub": filters.get("hub"),
        "region": filters.get("region") or "",
    }
    q = (filters.get("q") or "").strip()
    people = selectors.directory_people(user, q=q, **chosen)
    searched = bool(filters.get("q"))
    if searched:
        # A ranked search counts its matches in the page's own query (directory_search).
        paginator = directory_search.RankedPaginator(people, PAGE_SIZE)
    else:
        paginator = Paginator(people, PAGE_SIZE)
        paginator.count = selectors.directory_count(user, people, **chosen)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _cards(user, selectors.with_tags(page.object_list))
    return render(request, "network/directory.html", {"form": form, "page": page, "searched": searched})


JOB_ROLES = dict(JobRole.choices)  # `get_job_role_display` builds this dict on every call


def _cards(user, people: list) -> list:
    """What each card shows besides the person's own columns, worked out here once
    rather than by tags in each of 25 cards (most of the page's time: speed): the
    links, the line under the name (job role, then academy, else trust), the expertise
    as one line, and the link to ask for an introduction where the rule allows it
    (asked once) and the person is not the user."""
    profile = url_for_each("network:directory_person")
    connect = url_for_each("network:connection_request") if has(user, "network.ask_for_connection") else None
    for person in people:
        person.profile_url = profile(person.pk)
        person.connect_url = connect(person.pk) if connect and person.pk != user.person_id else ""
        # Escaped whole by the template: the same as each name escaped (", " needs none).
        person.expertise_line = ", ".join(person.listed_expertise)
        role = JOB_ROLES.get(person.job_role, person.job_role)
        if person.academy_id is not None:
            person.card_line = f"{role}, {person.academy_name}"
        elif person.trust_id is not None:
            person.card_line = f"{role}, {person.trust_name}"
        else:
            person.card_line = role
    return people


@login_required
def directory_person(request, pk):
    """One person's directory profile: only someone the directory shows this user
    (consented, in one of their networks); anyone else is 404."""
    return render(request, "network/directory_person.html", selectors.directory_profile(request.user, pk))
