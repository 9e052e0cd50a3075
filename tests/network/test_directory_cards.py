"""The directory's cards, as the page now builds them for speed: tags read as names in
one query, links and the line under the name worked out once per page."""

import pytest
from django.urls import reverse

from network.base.web import url_for_each
from network.programme import selectors
from tests import factories as f
from trusts.models import Person


@pytest.mark.django_db
def test_tags_are_names_in_name_order_read_in_one_query(world, django_assert_num_queries):
    sle = f.DesignationFactory(name="SLE")
    lead = f.DesignationFactory(name="Lead practitioner")
    world.person_b.designations.add(sle, lead)
    world.person_b.expertise.add(
        f.ExpertiseTagFactory(name="Required practicals", slug="rp"), f.ExpertiseTagFactory(name="Ecology", slug="ec")
    )
    bare = f.PersonFactory(academy=world.academy_b, directory_consent=True)
    people = selectors.directory_people(world.leader_a).filter(pk__in=[world.person_b.pk, bare.pk])
    with django_assert_num_queries(2):  # the people, then every tag of theirs
        listed = {p.pk: p for p in selectors.with_tags(people)}
    assert listed[world.person_b.pk].listed_designations == ["Lead practitioner", "SLE"]
    assert listed[world.person_b.pk].listed_expertise == ["Ecology", "Required practicals"]
    assert listed[bare.pk].listed_designations == listed[bare.pk].listed_expertise == []


@pytest.mark.django_db
def test_an_empty_page_asks_for_no_tags(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.with_tags(Person.objects.none()) == []


@pytest.mark.django_db
def test_a_link_for_each_row_is_the_reversed_url(world):
    profile = url_for_each("network:directory_person")
    for pk in (1, 42, 9_876_543, world.person_b.pk):
        assert profile(pk) == reverse("network:directory_person", args=[pk])


@pytest.mark.django_db
def test_each_card_links_its_profile_and_offers_an_introduction_to_others_only(client, world):
    trust_b_person = f.PersonFactory(
        academy=None, trust=world.trust_b, directory_consent=True, job_role="ceo", first_name="Tess"
    )
    world.person_a.directory_consent = True
    world.person_a.save()
    client.force_login(world.leader_a)
    content = client.get(reverse("network:directory")).content.decode()
    for person in (world.person_a, world.person_b, trust_b_person):
        assert f'href="{reverse("network:directory_person", args=[person.pk])}"' in content
    assert reverse("network:connection_request", args=[world.person_b.pk]) in content
    assert reverse("network:connection_request", args=[world.person_a.pk]) not in content  # not oneself
    assert f'<p class="mb-1">{world.person_b.get_job_role_display()}, Academy B</p>' in content
    assert '<p class="mb-1">Chief executive (CEO), Trust B</p>' in content  # no academy: the trust
    client.force_login(world.executive_a)  # may not ask (leaders only): no link at all
    content = client.get(reverse("network:directory")).content.decode()
    assert "Ask to be put in touch<span" not in content


@pytest.mark.django_db
def test_a_cards_names_are_escaped(client, world):
    world.person_b.expertise.add(
        f.ExpertiseTagFactory(name="Forces & motion <KS3>", slug="forces"), f.ExpertiseTagFactory(name="Ecology")
    )
    world.person_b.designations.add(f.DesignationFactory(name="Lead <practitioner>"))
    world.academy_b.name = "St Mary's & St John's"
    world.academy_b.save()
    client.force_login(world.leader_a)
    content = client.get(reverse("network:directory")).content.decode()
    assert "Expertise: Ecology, Forces &amp; motion &lt;KS3&gt;</p>" in content
    assert '<span class="badge text-bg-info me-1">Lead &lt;practitioner&gt;</span>' in content
    assert ", St Mary&#x27;s &amp; St John&#x27;s</p>" in content


@pytest.mark.django_db
def test_a_card_with_every_part_is_written_as_the_template_wrote_it(client, world):
    person = world.person_b
    person.first_name, person.last_name, person.job_role = "Joanna", "Ahmed", "subject_lead"
    person.expertise_summary = "Happy to share our practicals handbook."
    person.save()
    person.designations.add(f.DesignationFactory(name="SLE"))
    person.expertise.add(f.ExpertiseTagFactory(name="Required practicals"), f.ExpertiseTagFactory(name="Ecology"))
    client.force_login(world.leader_a)
    content = client.get(reverse("network:directory")).content.decode()
    profile = reverse("network:directory_person", args=[person.pk])
    connect = reverse("network:connection_request", args=[person.pk])
    assert (
        '    <article class="card mb-3"><div class="card-body">\n'
        f'      <h2 class="h5 card-title"><a href="{profile}">Joanna Ahmed</a></h2>\n'
        '      <p class="mb-1">Subject lead, Academy B</p>\n'
        '      <p class="mb-1"><span class="badge text-bg-info me-1">SLE</span></p>\n'
        '      <p class="mb-1">Expertise: Ecology, Required practicals</p>\n'
        '      <p class="mb-1">Happy to share our practicals handbook.</p>\n'
        f'      <p class="mb-0"><a href="{connect}">Ask to be put in touch'
        '<span class="visually-hidden"> with Joanna Ahmed</span></a></p>\n'
        "    </div></article>\n"
    ) in content


@pytest.mark.django_db
def test_a_card_without_optional_parts_has_only_its_name_and_line(client, world):
    client.force_login(world.executive_a)  # may not ask for an introduction
    content = client.get(reverse("network:directory")).content.decode()
    profile = reverse("network:directory_person", args=[world.person_b.pk])
    card = content[content.index('<article class="card mb-3">') : content.index("</article>")]
    assert f'<a href="{profile}">{world.person_b.full_name}</a></h2>' in card
    assert card.count("<p") == 1  # the line under the name, nothing else


@pytest.mark.django_db
def test_tags_read_in_plain_sql_are_the_orms(world, django_assert_num_queries):
    """`with_tags` reads the tags with SQL of its own (network.programme.selectors): for
    many people with overlapping tags, names that need quoting and a designation and a
    tag of the same name, each person's lists are what the ORM reads, in its order."""
    import random

    from trusts.models import Designation, ExpertiseTag

    chance = random.Random(14)
    designations = [
        f.DesignationFactory(name=name) for name in ("SLE", "O'Brien's \"lead\"", "Ecology", "zeta", "Alpha")
    ]
    tags = [f.ExpertiseTagFactory(name=name, slug=f"t{n}") for n, name in enumerate(("Ecology", "Physics", "b%_"))]
    people = [f.PersonFactory(academy=world.academy_b, directory_consent=True) for _ in range(30)]
    for person in people:
        person.designations.add(*chance.sample(designations, chance.randint(0, 3)))
        person.expertise.add(*chance.sample(tags, chance.randint(0, 3)))
    with django_assert_num_queries(1):
        listed = selectors.with_tags(people)
    for person in listed:
        orm = Designation.objects.filter(people=person).order_by("name").values_list("name", flat=True)
        assert person.listed_designations == list(orm)
        orm = ExpertiseTag.objects.filter(people=person).order_by("name").values_list("name", flat=True)
        assert person.listed_expertise == list(orm)
    assert any(p.listed_designations for p in listed) and any(not p.listed_expertise for p in listed)
