"""The six-lens review: coordinators open, rate and edit it; the steering group reads
and comments; ratings compare year on year."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impact.reviews.models import Lens, LensReview, ReviewComment
from impact.reviews.services import lens_review_comment, lens_review_create, lens_review_update
from network.base.personal_data import personal_data_for
from network.base.rules import NotAllowed

pytestmark = pytest.mark.django_db


def rate(review, by, value, **extra):
    ratings = {
        lens: {"rating": value, "commentary": f"{lens} at {value}", "evidence": "", "kpis": []} for lens in Lens.values
    }
    ratings.update(extra)
    return lens_review_update(review=review, summary="A good year.", agreed_actions="One\nTwo", ratings=ratings, by=by)


def test_a_review_is_opened_once_a_year_with_six_lenses(world):
    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    assert sorted(review.ratings.values_list("lens", flat=True)) == sorted(Lens.values)
    with pytest.raises(ValidationError):
        lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    hub_review = lens_review_create(network=world.network, year_label="2024-25", hub=world.hub, by=world.coordinator)
    assert hub_review.subject == world.hub.name


def test_only_coordinators_write_and_ratings_are_1_to_4(world):
    with pytest.raises(NotAllowed):
        lens_review_create(network=world.network, year_label="2024-25", by=world.steering)
    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    with pytest.raises(NotAllowed):
        rate(review, world.steering, 3)
    with pytest.raises(ValidationError):
        rate(review, world.coordinator, 5)


def test_steering_group_reads_and_comments(client, world):
    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    rate(
        review,
        world.coordinator,
        3,
        equity={"rating": 2, "commentary": "Rural academies left out.", "kpis": ["never_engaged"]},
    )
    client.force_login(world.steering)
    url = reverse("impact:lens_review_detail", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Rural academies left out." in page and "Equity and inclusion: 2 – Developing" in page
    assert "Academies never engaged (%)" in page  # the KPI the rating rests on
    assert reverse("impact:lens_review_edit", args=[review.pk]) not in page
    response = client.post(reverse("impact:lens_review_comment", args=[review.pk]), {"body": "Agree; add a rural hub."})
    assert response.status_code == 302
    comment = ReviewComment.objects.get()
    assert (comment.author, comment.body) == (world.steering, "Agree; add a rural hub.")
    assert "Agree; add a rural hub." in client.get(url).content.decode()
    assert (
        personal_data_for(world.steering).as_json()["six_lens_review_comments"][0]["comment"]
        == "Agree; add a rural hub."
    )
    with pytest.raises(ValidationError):
        lens_review_comment(review=review, body="  ", by=world.steering)


def test_executives_and_leaders_cannot_comment(world):
    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    for user in (world.executive_a, world.leader_a):
        with pytest.raises(NotAllowed):
            lens_review_comment(review=review, body="Hello", by=user)


def test_ratings_compare_year_on_year(client, world):
    for label, value in (("2022-23", 1), ("2023-24", 2), ("2024-25", 4)):
        rate(
            lens_review_create(network=world.network, year_label=label, by=world.coordinator), world.coordinator, value
        )
    latest = LensReview.objects.get(year_label="2024-25")
    client.force_login(world.coordinator)
    response = client.get(reverse("impact:lens_review_detail", args=[latest.pk]))
    table = response.context["chart"]["chart"].table
    assert [c.label for c in table.columns] == ["Lens", "2022-23", "2023-24", "2024-25"]
    assert table.rows[0] == ["Purpose and rationale", 1, 2, 4]
    data = response.context["chart"]["data"]
    assert data["type"] == "radar" and data["datasets"][2]["data"] == [4] * 6
    assert 'id="chart-data-lens-ratings"' in response.content.decode()


def test_edit_page_saves_all_six_lenses(client, world):
    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    client.force_login(world.coordinator)
    data = {"summary": "Summary", "agreed_actions": "Run a rural hub meeting, AB, by July"}
    for lens in Lens.values:
        data.update({f"{lens}-rating": "3", f"{lens}-commentary": "Fine", f"{lens}-evidence": "", f"{lens}-kpis": []})
    data["equity-kpis"] = ["never_engaged"]
    response = client.post(reverse("impact:lens_review_edit", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.action_lines == ["Run a rural hub meeting, AB, by July"]
    assert set(review.ratings.values_list("rating", flat=True)) == {3}
    assert review.ratings.get(lens="equity").kpis == ["never_engaged"]


def test_list_page_opens_a_review(client, world):
    client.force_login(world.coordinator)
    url = reverse("impact:lens_reviews", args=[world.network.slug])
    response = client.post(url, {"year_label": client.get(url).context["form"].fields["year_label"].choices[0][0]})
    assert response.status_code == 302
    assert LensReview.objects.filter(network=world.network).count() == 1


def test_a_lens_rests_on_evidence_log_claims_shown_with_their_confidence(client, world):
    from tests import factories as f

    review = lens_review_create(network=world.network, year_label="2024-25", by=world.coordinator)
    triangulated = f.ClaimFactory(academy=world.academy_a, statement="Write-ups improved")
    for kind in ("teacher_voice", "lesson_observation", "progress_data"):
        f.EvidenceItemFactory(claim=triangulated, source_type=kind)
    anecdotal = f.ClaimFactory(academy=world.academy_b, statement="Clubs are fuller")
    f.EvidenceItemFactory(claim=anecdotal)
    elsewhere = f.ClaimFactory(statement="Another network's claim")  # an academy outside the network
    client.force_login(world.coordinator)
    edit = reverse("impact:lens_review_edit", args=[review.pk])
    offered = client.get(edit).context["lens_forms"][0].fields["claims"].queryset
    assert set(offered) == {triangulated, anecdotal}
    data = {"summary": "", "agreed_actions": ""}
    for lens in Lens.values:
        data.update({f"{lens}-rating": "3", f"{lens}-commentary": "", f"{lens}-evidence": ""})
    data["sustainability-claims"] = [str(triangulated.pk), str(anecdotal.pk)]
    assert client.post(edit, data).status_code == 302
    page = client.get(reverse("impact:lens_review_detail", args=[review.pk])).content.decode()
    assert "Write-ups improved" in page and "<strong>Triangulated</strong>" in page
    assert "Clubs are fuller" in page and "<strong>Anecdotal</strong>" in page
    # A post naming a claim the form never offered is refused, and nothing is linked.
    data["sustainability-claims"] = [str(elsewhere.pk)]
    assert client.post(edit, data).status_code == 400
    assert set(review.ratings.get(lens="sustainability").claims.all()) == {triangulated, anecdotal}
    # A reader who may not open the claims sees that they exist, not what they say.
    client.force_login(world.steering)
    page = client.get(reverse("impact:lens_review_detail", args=[review.pk])).content.decode()
    assert "Write-ups improved" not in page and "2 more linked claims that your role does not open." in page
