"""Pagination links for pages with more than one paginated list (each list has its own
page parameter, e.g. `made_page`), which `{% querystring %}` cannot name from a variable."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string with `param` set to `number`: "?q=physics&page=3"."""
    params = context["request"].GET.copy()
    params[param] = number
    return "?" + params.urlencode()
