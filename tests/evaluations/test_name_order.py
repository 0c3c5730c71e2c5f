"""The rating distribution lists districts in Vietnamese order (it listed "Đông Hưng" after "Thái Thụy")."""

from django.urls import reverse

from tests.evaluations import factories


def test_the_distribution_lists_dong_hung_before_thai_thuy(world, client_for):
    factories.rubric(2025)
    factories.approved(world.centre_a, world.staff_a, world.reviewer_x, world.official, year=2025)
    factories.approved(world.centre_b, world.staff_b, world.reviewer_y, world.official, year=2025)
    response = client_for(world.official).get(reverse("evaluations:distribution"), {"nam": 2025})
    assert [row.label for row in response.context["rows"]] == ["Huyện Đông Hưng", "Huyện Thái Thụy", "Toàn tỉnh"]


def test_an_outsider_sees_neither_district(world, client_for):
    factories.rubric(2025)
    factories.approved(world.centre_a, world.staff_a, world.reviewer_x, world.official, year=2025)
    response = client_for(world.other_official).get(reverse("evaluations:distribution"), {"nam": 2025})
    assert [row.label for row in response.context["rows"]] == ["Toàn tỉnh"]
