"""The expertise directory's search box: one query string, matched against everything a
person is known by, ranked.

What is searched, by weight (a name counts most, a word in a summary least):

- A: first and last name ("Joanna Ahmed");
- B: designations ("SLE", "Specialist Leader of Education"), expertise tags and job role;
- C: academy, trust and region;
- D: the expertise summary.

Every word typed must match the start of a word in one of those fields ("Joa Ahm" finds
Joanna Ahmed; "SLE" does not find Lesley), and people are ranked by how much, and how
heavily, they matched; a whole word counts three times a word's start, so an SLE ranks
above a Ms Sleath for "SLE" (on SQLite the whole-word bonus is scored for names,
designations, expertise and role only: see below). On PostgreSQL this is full-text
search (SearchQuery / SearchRank over a stored, indexed search vector, prefix matching,
the summary and expertise also stemmed in English, so "practicals" finds "practical");
elsewhere (SQLite, the embedded default) the same rules are written as LIKE conditions
with a weighted score. Either way it filters the queryset it is given, with a fixed
number of queries, so the directory's scope and its query count are unchanged.
"""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Case, Count, Exists, FloatField, IntegerField, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce

from trusts.models import Designation, ExpertiseTag, JobRole, Person

MAX_WORDS = 8  # a pasted paragraph must not build a query the size of a paragraph
WEIGHTS = {"A": 8, "B": 4, "C": 2, "D": 1}  # the SQLite score, in step with PostgreSQL's defaults
WHOLE_WORD_BONUS = 2  # a whole word scores its weight again, twice over


def words_of(q: str) -> list[str]:
    """The words of a query: letters and digits only, so nothing typed reaches a query as
    syntax (tsquery operators, LIKE wildcards)."""
    return re.findall(r"[^\W_]+", q)[:MAX_WORDS]


def search(people: QuerySet, q: str) -> QuerySet:
    """`people` whose fields match every word of `q`, annotated with `search_rank` and
    ordered best first (then by name). An empty query returns `people` unchanged."""
    words = words_of(q)
    if not words:
        return people
    if connection.vendor == "postgresql":
        return _search_postgres(people, words)
    return _search_portable(people, words)


# -- PostgreSQL: full-text search ----------------------------------------------------


def _search_postgres(people: QuerySet, words: list[str]) -> QuerySet:
    """Full-text search on `trusts_person.search_vector`: the document of everything a
    person is searched by, weighted A to D, GIN-indexed and kept in step by database
    triggers (trusts/migrations/0004_person_search_vector.py), so a search reads an index
    rather than building every person's document on the fly (seconds at ten times the
    network's size). The index holds consenting people only (0006), as every directory
    query asks: a selective search reads it rather than every consenting person's row."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models.expressions import RawSQL

    def every_word(suffix: str):
        # Each word in either configuration: "Joa:*" finds Joanna, "practicals" practical.
        query = None
        for word in words:
            either = SearchQuery(word + suffix, search_type="raw", config="simple") | SearchQuery(
                word + suffix, search_type="raw", config="english"
            )
            query = either if query is None else query & either
        return query

    # A column the model does not declare (SQLite has none); constant SQL, nothing typed.
    vector = RawSQL(f"{Person._meta.db_table}.search_vector", [], output_field=SearchVectorField())  # noqa: S611
    prefixes, whole_words = every_word(":*"), every_word("")
    bonus = Value(float(WHOLE_WORD_BONUS), output_field=FloatField())
    return (
        people.alias(search_vector=vector)
        .filter(search_vector=prefixes)
        .annotate(search_rank=SearchRank(vector, prefixes) + bonus * SearchRank(vector, whole_words))
        .order_by("-search_rank", "last_name", "first_name", "pk")
    )


# -- Anywhere else: the same rules as LIKE conditions --------------------------------
# SQLite would call back into Python for every row of a regular expression, so the
# database does only LIKE; designations, expertise tags and job roles are short lists,
# matched here in Python and turned into ids. A whole word scores its bonus in names,
# designations, expertise and role (academy, trust, region and summary score the start
# of a word only), which keeps the score to a few cheap conditions per row.


def _rule(word: str, *, whole: bool) -> re.Pattern:
    return re.compile(rf"(^|\W){re.escape(word)}" + (r"(\W|$)" if whole else ""), re.IGNORECASE)


def _starts_a_word(field: str, word: str) -> Q:
    """`field` has a word beginning with `word` (at the start, or after a space, a
    hyphen or a bracket)."""
    condition = Q(**{f"{field}__istartswith": word})
    for before in (" ", "-", "("):
        condition |= Q(**{f"{field}__icontains": before + word})
    return condition


def _is_a_name(field: str, word: str) -> Q:
    """`field`, a name, is `word` or has it as one of its words ("Hussain-Whitworth")."""
    condition = Q(**{f"{field}__iexact": word})
    for sep in (" ", "-"):
        condition |= (
            Q(**{f"{field}__istartswith": word + sep})
            | Q(**{f"{field}__iendswith": sep + word})
            | Q(**{f"{field}__icontains": sep + word + sep})
        )
    return condition


def _having(through, column: str, ids: list[int]) -> Exists:
    return Exists(through.objects.filter(person=OuterRef("pk"), **{f"{column}__in": ids}))


def _conditions(word: str, lists: dict, *, whole: bool) -> list[tuple[str, Q | Exists]]:
    """(weight, condition) for each field `word` matches: the start of a word, or with
    `whole`, the whole word (names, designations, expertise, role)."""
    rule = _rule(word, whole=whole)
    conditions = []
    for field in ("first_name", "last_name"):
        conditions.append(("A", _is_a_name(field, word) if whole else _starts_a_word(field, word)))
    for through, column, rows in (
        (Designation.people.through, "designation_id", lists["designations"]),
        (ExpertiseTag.people.through, "expertisetag_id", lists["expertise"]),
    ):
        ids = [pk for pk, name in rows if rule.search(name)]
        if ids:
            conditions.append(("B", _having(through, column, ids)))
    roles = [value for value, label in JobRole.choices if rule.search(str(label))]
    if roles:
        conditions.append(("B", Q(job_role__in=roles)))
    if not whole:
        conditions += [
            ("C", _starts_a_word("academy__name", word)),
            ("C", _starts_a_word("academy__trust__name", word)
             | Q(academy__isnull=True) & _starts_a_word("trust__name", word)),
            ("C", _starts_a_word("academy__region", word)
             | Q(academy__isnull=True) & _starts_a_word("trust__region", word)),
            ("D", _starts_a_word("expertise_summary", word)),
        ]  # fmt: skip
    return conditions


def _search_portable(people: QuerySet, words: list[str]) -> QuerySet:
    lists = {
        "designations": list(Designation.objects.values_list("pk", "name")),
        "expertise": list(ExpertiseTag.objects.values_list("pk", "name")),
    }
    score = Value(0)
    for word in words:
        starts = _conditions(word, lists, whole=False)
        any_field = Q()
        for _, condition in starts:
            any_field |= Q(condition)
        people = people.filter(any_field)
        for weight, condition in starts:
            score = score + Case(When(condition, then=Value(WEIGHTS[weight])), default=Value(0))
        for weight, condition in _conditions(word, lists, whole=True):
            bonus = WEIGHTS[weight] * WHOLE_WORD_BONUS
            score = score + Case(When(condition, then=Value(bonus)), default=Value(0))
    return people.annotate(search_rank=Coalesce(score, 0, output_field=IntegerField())).order_by(
        "-search_rank", "last_name", "first_name", "pk"
    )


# -- The page of results -------------------------------------------------------------


class RankedPaginator(Paginator):
    """A paginator for a ranked search: ordering by rank reads every match anyway, so
    the page's own query also counts them (COUNT(*) OVER ()) and no second query scans
    the matches again for the paginator's count (half a search's database time at ten
    times the network's size: speed, issue 14). As Django's paginator, anything that is
    not a page number is the first page; a page past the end, or below 1, falls back to
    it (a count, then the last page), so the pages shown are the same."""

    def get_page(self, number):
        try:
            wanted = self.validate_number_without_count(number)
        except PageNotAnInteger:
            wanted = 1  # as Django's: not a number (or none given) is the first page
        except EmptyPage:
            return super().get_page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list.annotate(found=Window(Count("*")))[bottom : bottom + self.per_page])
        if rows:
            self.count = rows[0].found  # the cached property, read from the page's rows
        elif wanted == 1:
            self.count = 0
        else:
            return super().get_page(number)
        return self._get_page(rows, wanted, self)

    @staticmethod
    def validate_number_without_count(number) -> int:
        if isinstance(number, float) and not number.is_integer():
            raise PageNotAnInteger("not a whole number")
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("not a number") from error
        if number < 1:
            raise EmptyPage("before the first page")
        return number
