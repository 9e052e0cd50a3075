from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from trusts import selectors
from trusts.filters import AcademyFilter

PAGE_SIZE = 25


@login_required
def trust_list(request):
    trusts = selectors.trusts_for(request.user)
    page = Paginator(trusts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trusts/trust_list.html", {"page": page})


@login_required
def trust_detail(request, pk):
    trust = selectors.trust_detail(request.user, pk)
    academies = selectors.academies_of_trust(request.user, trust)
    return render(request, "trusts/trust_detail.html", {"trust": trust, "academies": academies})


@login_required
def academy_list(request):
    user = request.user
    filterset = AcademyFilter(
        request.GET or None,
        queryset=selectors.academy_table(user),
        trusts=lambda: selectors.trust_choices(user),
        trust_rows=selectors.trust_choice_rows(user),
    )
    academies = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(academies, PAGE_SIZE).get_page(request.GET.get("page"))
    # A changed filter sent by htmx gets the results alone, swapped in place.
    template = "trusts/includes/academy_results.html" if request.htmx else "trusts/academy_list.html"
    response = render(request, template, {"page": page, "filter": filterset})
    patch_vary_headers(response, ["HX-Request"])  # caches keep the two answers apart
    return response


@login_required
def academy_detail(request, urn):
    academy = selectors.academy_detail(request.user, urn)
    return render(request, "trusts/academy_detail.html", {"academy": academy})
