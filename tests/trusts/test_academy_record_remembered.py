"""An academy's record on its page (trust history, inspections, performance) is read
once and remembered under the records' generation (`trusts.selectors.academy_record`):
a new inspection or result shows on the next load, one academy's record is never
another's, and the door still decides who may open the page. The people the reader
may see there are remembered under the reader's scope, and a new colleague or
designation shows on the next load.
(Committed, with remembering on: tests/conftest.py `remembering`.)"""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import queries_fresh_and_kept
from trusts.models import AcademyTrustMembership

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("remembering")]


@pytest.fixture
def academy():
    trust = f.TrustFactory(name="Oak Trust")
    academy = f.AcademyFactory(trust=trust, name="Oak Academy")
    # The academy's current membership, written with it; given a known start here.
    AcademyTrustMembership.objects.filter(academy=academy).update(joined_on=datetime.date(2019, 9, 1))
    f.InspectionFactory(academy=academy, inspection_date=datetime.date(2022, 5, 10), grade=2)
    f.PerformanceResultFactory(academy=academy, academic_year="2023-24", progress8=0.31)
    return academy


def test_the_record_is_read_once_then_remembered(client, academy):
    client.force_login(f.coordinator())
    url = reverse("trusts:academy_detail", args=[academy.urn])
    fresh, kept = queries_fresh_and_kept(client, url)
    assert kept == fresh - 3 - 1  # trust history, inspections, performance; the (empty) people list
    page = client.get(url).content.decode()
    assert "Oak Trust: from 01/09/2019 (current)" in page
    assert "10/05/2022" in page and "+0.31" in page


def test_a_new_inspection_and_result_show_on_the_next_load(client, academy):
    client.force_login(f.coordinator())
    url = reverse("trusts:academy_detail", args=[academy.urn])
    client.get(url)
    f.InspectionFactory(academy=academy, inspection_date=datetime.date(2025, 1, 20), grade=1)
    f.PerformanceResultFactory(academy=academy, academic_year="2024-25", progress8=0.52)
    page = client.get(url).content.decode()
    assert "20/01/2025" in page and "+0.52" in page
    assert page.index("20/01/2025") < page.index("10/05/2022")  # newest first


def test_one_academys_record_is_never_anothers_and_the_door_still_decides(client, academy):
    other = f.AcademyFactory(trust=f.TrustFactory(name="Elm Trust"), name="Elm Academy")
    f.InspectionFactory(academy=other, inspection_date=datetime.date(2021, 11, 2), grade=3)
    client.force_login(f.coordinator())
    ours = client.get(reverse("trusts:academy_detail", args=[academy.urn])).content.decode()
    theirs = client.get(reverse("trusts:academy_detail", args=[other.urn])).content.decode()
    assert "02/11/2021" in theirs and "02/11/2021" not in ours
    assert "10/05/2022" in ours and "10/05/2022" not in theirs
    client.force_login(f.trust_executive(academy.trust))
    assert client.get(reverse("trusts:academy_detail", args=[other.urn])).status_code == 404


def test_the_people_are_remembered_and_a_new_colleague_or_designation_shows(client, academy):
    leader = f.leader(academy)
    client.force_login(leader)
    url = reverse("trusts:academy_detail", args=[academy.urn])
    fresh, kept = queries_fresh_and_kept(client, url)
    assert kept == fresh - 3 - 2  # the record; the people and their designations
    colleague = f.PersonFactory(academy=academy, first_name="Priya", last_name="Shah")
    assert "Priya Shah" in client.get(url).content.decode()
    designation = f.DesignationFactory(name="Specialist leader of education")
    colleague.designations.add(designation)
    assert "Specialist leader of education" in client.get(url).content.decode()
    colleague.delete()
    assert "Priya Shah" not in client.get(url).content.decode()
