"""The network's own pages: each role's home and the expertise directory."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from network.base.models import Role
from network.base.rules import has
from network.programme import directory_cards, directory_search, selectors
from network.programme.forms import DirectorySearchForm
from network.programme.membership.views import steering_home_context

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
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = selectors.with_tags(page.object_list)
    else:
        page = selectors.directory_page(user, people, request.GET.get("page"), size=PAGE_SIZE, **chosen)
    page.object_list = directory_cards.with_cards(user, page.object_list)
    return render(request, "network/directory.html", {"form": form, "page": page, "searched": searched})


@login_required
def directory_person(request, pk):
    """One person's directory profile: only someone the directory shows this user
    (consented, in one of their networks); anyone else is 404."""
    return render(request, "network/directory_person.html", selectors.directory_profile(request.user, pk))
