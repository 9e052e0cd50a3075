"""The directory's search box: names (full name too), designations, expertise, job role,
academy, trust and region, every word counting, ranked. Runs on SQLite (the portable
rules) and, with DATABASE_URL set, on PostgreSQL (full-text search)."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    """A few people of trust A and B (both in the world's network)."""
    sle = f.DesignationFactory(name="Specialist Leader of Education (SLE)")
    practicals = f.ExpertiseTagFactory(name="Required practicals", slug="required-practicals")

    def person(first, last, academy=None, **kwargs):
        return f.PersonFactory(
            first_name=first, last_name=last, academy=academy or world.academy_b, directory_consent=True, **kwargs
        )

    found = {
        "joanna": person("Joanna", "Ahmed", job_role="subject_lead"),
        "other_joanna": person("Joanna", "Price"),
        "other_ahmed": person("Bilal", "Ahmed"),
        "sle": person("Grace", "Adeyemi"),
        "sleath": person("Lesley", "Sleath"),
        "tagged": person("Owen", "Hughes"),
        "summary_only": person("Nia", "Evans", expertise_summary="Happy to share our required practicals handbook."),
        "technician": person("Liam", "Walsh", academy=world.academy_a, job_role="technician"),
    }
    found["sle"].designations.add(sle)
    found["tagged"].expertise.add(practicals)
    return found


def search(client, user, q, **filters) -> list:
    client.force_login(user)
    response = client.get(reverse("network:directory"), {"q": q, **filters})
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("q", ["Joanna Ahmed", "joanna ahmed", "Ahmed Joanna", "Joa Ahm", "  Joanna   Ahmed "])
def test_search_by_full_name_finds_exactly_that_person(client, world, people, q):
    assert search(client, world.leader_a, q) == [people["joanna"]]


def test_search_by_one_name_finds_everyone_with_it(client, world, people):
    assert set(search(client, world.leader_a, "Ahmed")) == {people["joanna"], people["other_ahmed"]}


@pytest.mark.parametrize("q", ["SLE", "sle", "Specialist Leader", "specialist leader of education"])
def test_search_by_designation(client, world, people, q):
    assert search(client, world.leader_a, q)[0] == people["sle"]


def test_a_designation_ranks_above_a_name_that_merely_starts_alike(client, world, people):
    """ "SLE" is a whole word of the designation and only the start of "Sleath"; and
    "Lesley" does not match at all (not the start of a word)."""
    assert search(client, world.leader_a, "SLE") == [people["sle"], people["sleath"]]


def test_search_by_expertise_ranks_the_tag_above_a_mention(client, world, people):
    assert search(client, world.leader_a, "required practicals") == [people["tagged"], people["summary_only"]]


def test_search_by_job_role(client, world, people):
    assert search(client, world.leader_a, "technician") == [people["technician"]]


def test_search_by_academy_trust_and_region(client, world, people):
    world.academy_a.name, world.academy_a.region = "Burnley Road Academy", "South West"
    world.academy_a.save()
    world.trust_a.name = "Pennine Learning Trust"
    world.trust_a.save()
    world.person_a.directory_consent = True
    world.person_a.save()
    everyone_at_a = {people["technician"], world.person_a}
    assert set(search(client, world.leader_a, "Burnley Road")) == everyone_at_a
    assert set(search(client, world.leader_a, "pennine trust")) == everyone_at_a
    assert set(search(client, world.leader_a, "south west")) == everyone_at_a
    assert search(client, world.leader_a, "Burnley technician") == [people["technician"]]


def test_every_word_must_match_somewhere(client, world, people):
    assert search(client, world.leader_a, "Owen practicals") == [people["tagged"]]
    assert search(client, world.leader_a, "Joanna practicals") == []


def test_search_keeps_the_other_filters(client, world, people):
    sle = people["sle"].designations.get()
    assert search(client, world.leader_a, "Adeyemi", designation=sle.pk) == [people["sle"]]
    assert search(client, world.leader_a, "Ahmed", designation=sle.pk) == []


def test_search_keeps_the_directory_scope(client, world, people):
    outsider = f.PersonFactory(
        first_name="Joanna", last_name="Ahmed", email="j.ahmed@elsewhere.example", directory_consent=True
    )  # an academy of a trust outside the network
    hidden = f.PersonFactory(first_name="Joanna", last_name="Ahmed", email="j.ahmed2@school.example",
                             academy=world.academy_b, directory_consent=False)  # fmt: skip
    found = search(client, world.leader_a, "Joanna Ahmed")
    assert outsider not in found and hidden not in found
    assert outsider in search(client, world.coordinator, "Joanna Ahmed")


@pytest.mark.parametrize("q", ["%", "_", "'; drop table", "a & b | !c", "Joanna:*", "()", "O'Brien"])
def test_search_treats_what_is_typed_as_text(client, world, people, q):
    search(client, world.leader_a, q)  # answers 200, whatever the characters


def test_search_results_have_no_n_plus_one(world, people, assert_no_n_plus_one):
    def grow():
        for n in range(3):
            extra = f.PersonFactory(
                first_name="Joanna", last_name=f"Ahmed{n}", academy=world.academy_b, directory_consent=True
            )
            extra.expertise.add(f.ExpertiseTagFactory())
            extra.designations.add(f.DesignationFactory())

    assert_no_n_plus_one(reverse("network:directory") + "?q=Joanna", grow, user=world.leader_a)


def test_the_databases_job_role_labels_are_the_models():
    """PostgreSQL's search vector spells job roles from a list frozen in its migration."""
    import importlib

    migration = importlib.import_module("trusts.migrations.0004_person_search_vector")
    from trusts.models import JobRole

    assert [(value, str(label)) for value, label in JobRole.choices] == migration.JOB_ROLES


@pytest.mark.postgres
def test_the_search_vector_follows_every_change(client, world, people, postgres):
    """Database triggers keep PostgreSQL's search document in step: renamed academy and
    trust, designations and tags added, removed and renamed, people created in bulk."""
    from trusts.models import Designation, ExpertiseTag, Person

    def found(q):
        return set(search(client, world.coordinator, q))

    world.academy_b.name = "Heysham Bay Academy"
    world.academy_b.save()
    assert people["joanna"] in found("Heysham")
    world.trust_b.name = "Morecambe Bay Academies"
    world.trust_b.save()
    assert people["joanna"] in found("Morecambe")
    lead = f.DesignationFactory(name="Lead Practitioner")
    people["joanna"].designations.add(lead)
    assert found("lead practitioner") == {people["joanna"]}
    Designation.objects.filter(pk=lead.pk).update(name="Chartered Teacher")
    assert found("chartered") == {people["joanna"]} and found("practitioner") == set()
    people["joanna"].designations.remove(lead)
    assert found("chartered") == set()
    ExpertiseTag.objects.filter(slug="required-practicals").update(name="Practical assessment")
    assert people["tagged"] in found("assessment")
    Person.objects.bulk_create(
        [Person(first_name="Zainab", last_name="Quayle", email="z.quayle@school.example", academy=world.academy_b,
                directory_consent=True)]
    )  # fmt: skip
    assert [p.last_name for p in found("Zainab")] == ["Quayle"]
    Person.objects.filter(last_name="Quayle").update(last_name="Qureshi")
    assert [p.last_name for p in found("Qureshi")] == ["Qureshi"] and found("Quayle") == set()


@pytest.mark.postgres
def test_the_search_index_holds_the_directory_only(postgres):
    """Every directory query asks for consenting people, so the index is of them alone
    (trusts/migrations/0006): half the size, and read where a search is selective."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'trusts_person'")
        indexes = dict(cursor.fetchall())
    assert "trusts_person_search_vector_idx" not in indexes
    assert indexes["trusts_person_directory_search_idx"].endswith("USING gin (search_vector) WHERE directory_consent")


@pytest.mark.postgres
def test_connections_plan_for_cheap_random_reads(postgres):
    """Connections set random_page_cost (settings: PG_RANDOM_PAGE_COST, 1.1): at the
    server's default of 4 the planner scanned every person for a search rather than
    read the GIN index above (speed, issue 14)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.parametrize("page", [None, "1", "2", "3", "99", "0", "-1", "x", "1.5"])
def test_a_searchs_pages_are_djangos_pages(world, people, page):
    """The ranked search counts its matches in the page's own query: the page, its rows
    and the count are those of Django's paginator, past the end and for nonsense too."""
    from django.core.paginator import Paginator

    from network.programme import selectors
    from network.programme.directory_search import RankedPaginator

    found = selectors.directory_people(world.leader_a, q="a")
    ours, django = RankedPaginator(found, 2).get_page(page), Paginator(found, 2).get_page(page)
    assert (ours.number, ours.paginator.count, list(ours)) == (django.number, django.paginator.count, list(django))
    assert ours.paginator.num_pages == django.paginator.num_pages > 1


def test_a_search_with_no_match_counts_none(world, people):
    from network.programme import selectors
    from network.programme.directory_search import RankedPaginator

    page = RankedPaginator(selectors.directory_people(world.leader_a, q="Zzyzx"), 2).get_page(None)
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])
