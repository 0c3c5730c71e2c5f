"""The participation report by programme kind lists its units in Vietnamese order."""

import io

from django.urls import reverse
from openpyxl import load_workbook


def first_column(response) -> list:
    assert response.status_code == 200
    return [row[0] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_the_participation_report_lists_dong_hung_before_thai_thuy(world, figures, client_for):
    url = reverse("reports:official", args=["bc-nguoi-hoc"])
    column = first_column(client_for(world.official).get(url, {"tu_nam": 2024, "den_nam": 2024}))
    assert column.index("Huyện Đông Hưng") < column.index("Huyện Thái Thụy")


def test_an_outsider_gets_only_their_own_province(world, figures, client_for):
    url = reverse("reports:official", args=["bc-nguoi-hoc"])
    column = first_column(client_for(world.other_official).get(url, {"tu_nam": 2024, "den_nam": 2024}))
    assert "Huyện Đông Hưng" not in column and "Huyện Thái Thụy" not in column
