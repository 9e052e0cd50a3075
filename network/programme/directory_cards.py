"""The expertise directory's cards (templates/network/directory.html), written in Python.

The template engine spent ~55 µs a card resolving a dozen variables and tags, 25 cards
a page: after the queries, the page's largest part. Written here, a card costs ~5 µs
(speed). One card, every part present:

    <article class="card mb-3"><div class="card-body">
      <h2 class="h5 card-title"><a href="/directory/7/">Joanna Ahmed</a></h2>
      <p class="mb-1">Subject lead, Brookcroft High School</p>
      <p class="mb-1"><span class="badge text-bg-info me-1">SLE</span></p>
      <p class="mb-1">Expertise: Ecology, Required practicals</p>
      <p class="mb-1">Happy to share our practicals handbook.</p>
      <p class="mb-0"><a href="/directory/7/connect/">Ask to be put in touch<span class="visually-hidden"> with Joanna Ahmed</span></a></p>
    </div></article>

- under the name: the job role, then the academy (else the trust, for trust-wide roles);
- designations, expertise and the summary: a line each, only when there are any (an
  absent line leaves its line break, as the template's `{% if %}` did);
- the last line only where the rule lets the user ask (`network.ask_for_connection`,
  asked once a page) and the card is not their own;
- no email or phone (issue 13): contact details are shared only when the person
  accepts a request.

Every text is escaped (`escaped`: the select writer's `quick_escape`, as Django's autoescape would)."""

from django.utils.safestring import SafeString

from network.base.rules import has
from network.base.web import url_for_each
from network.base.widgets import quick_escape as escaped
from trusts.models import JobRole

JOB_ROLES = dict(JobRole.choices)  # `get_job_role_display` builds this dict on every call
BETWEEN_LINES = "\n      "  # each line of a card on its own line, indented as in the page


def with_cards(user, people: list) -> list:
    """`people` (a page of the directory, with `with_tags`'s lists and the academy's
    and trust's names) each with its `card`. Links are reversed once a page
    (`url_for_each`), not twice a card."""
    profile = url_for_each("network:directory_person")
    connect = url_for_each("network:connection_request") if has(user, "network.ask_for_connection") else None
    for person in people:
        person.card = _card(person, profile(person.pk), connect(person.pk) if connect else "", user.person_id)
    return people


def _card(person, profile_url: str, connect_url: str, own_person_id) -> SafeString:
    name = escaped(person.full_name)
    role = JOB_ROLES.get(person.job_role, person.job_role)
    if person.academy_id is not None:
        where = f"{role}, {person.academy_name}"
    elif person.trust_id is not None:
        where = f"{role}, {person.trust_name}"
    else:
        where = role
    designations = "".join(
        f'<span class="badge text-bg-info me-1">{escaped(designation)}</span>'
        for designation in person.listed_designations
    )
    ask = ""
    if connect_url and person.pk != own_person_id:
        ask = (
            f'<p class="mb-0"><a href="{escaped(connect_url)}">Ask to be put in touch'
            f'<span class="visually-hidden"> with {name}</span></a></p>'
        )
    lines = (
        '<article class="card mb-3"><div class="card-body">',
        f'<h2 class="h5 card-title"><a href="{escaped(profile_url)}">{name}</a></h2>',
        f'<p class="mb-1">{escaped(where)}</p>',
        f'<p class="mb-1">{designations}</p>' if designations else "",
        # One line escaped whole: the same as each name escaped (", " needs none).
        f'<p class="mb-1">Expertise: {escaped(", ".join(person.listed_expertise))}</p>'
        if person.listed_expertise
        else "",
        f'<p class="mb-1">{escaped(person.expertise_summary)}</p>' if person.expertise_summary else "",
        ask,
    )
    return SafeString(BETWEEN_LINES.join(lines) + "\n    </div></article>")
