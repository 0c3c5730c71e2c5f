"""Rubric editing (issue 13, item 8): points beyond the rubric's total, thresholds above the maximum and
deadlines out of order are refused with a Vietnamese message naming the field, never a database
constraint's English text; the threshold columns name the groups; the title is editable until it freezes."""

import datetime

import pytest
from django.urls import reverse

from evaluations.models import EvaluationCycle, RatingThreshold, Rubric
from tests.evaluations import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(world):
    return factories.rubric()


def assert_no_english_constraint_text(html: str) -> None:
    assert "Constraint" not in html and "violated" not in html and "cycle_deadlines_in_order" not in html


def thresholds_post(**override) -> dict:
    data = {"tot_min_total": "85", "kha_min_total": "70", "trung_binh_min_total": "50", "yeu_min_total": "0"}
    return {**data, **override}


def test_a_criterion_that_would_pass_the_rubrics_total_is_refused_naming_the_points(world, rubric, client_for):
    url = reverse("evaluations:criterion_add", args=[rubric.pk])
    data = {"new-group": "4", "new-title": "Thêm", "new-description": "", "new-max_points": "10"}
    response = client_for(world.official).post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Điểm tối đa: với 10 điểm, các tiêu chí cộng 110 điểm, vượt tổng điểm của bộ tiêu chí (100)." in html
    assert "còn được tối đa 0" in html
    assert rubric.criteria.count() == 14


def test_an_edit_that_would_pass_the_total_is_refused_and_keeps_what_was_typed(world, rubric, client_for):
    criterion = rubric.criteria.get(group=1, order=1)
    url = reverse("evaluations:criterion_edit", args=[rubric.pk, criterion.pk])
    prefix = f"c{criterion.pk}"
    data = {
        f"{prefix}-group": "1",
        f"{prefix}-title": "Sửa",
        f"{prefix}-description": "",
        f"{prefix}-max_points": "7,5",
    }
    response = client_for(world.official).post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "các tiêu chí cộng 102,5 điểm" in html and 'value="Sửa"' in html
    criterion.refresh_from_db()
    assert criterion.max_points == 5 and criterion.title != "Sửa"


def test_zero_points_are_refused_in_vietnamese_not_with_the_constraint_name(world, rubric, client_for):
    url = reverse("evaluations:criterion_add", args=[rubric.pk])
    data = {"new-group": "4", "new-title": "Thêm", "new-description": "", "new-max_points": "0"}
    html = client_for(world.official).post(url, data).content.decode()
    assert "Điểm tối đa phải lớn hơn 0." in html
    assert_no_english_constraint_text(html)


def test_a_threshold_above_the_maximum_is_refused_naming_the_rating(world, rubric, client_for):
    url = reverse("evaluations:thresholds", args=[rubric.pk])
    response = client_for(world.official).post(url, thresholds_post(tot_min_total="120"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tốt — tổng điểm tối thiểu (120) vượt tổng điểm tối đa của các tiêu chí (100)." in html
    assert RatingThreshold.objects.get(rubric=rubric, rating="tot").min_total == 85


def test_a_group_threshold_above_the_groups_maximum_is_refused_naming_the_group(world, rubric, client_for):
    url = reverse("evaluations:thresholds", args=[rubric.pk])
    response = client_for(world.official).post(url, thresholds_post(tot_min_group_4="35"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tốt — tối thiểu nhóm 4 “Hiệu quả hoạt động” (35) vượt điểm tối đa của nhóm (30)." in html
    assert RatingThreshold.objects.get(rubric=rubric, rating="tot").min_group_4 == 20


def test_deadlines_out_of_order_are_refused_on_the_field_in_vietnamese(world, rubric, client_for):
    url = reverse("evaluations:cycle", args=[rubric.pk])
    client = client_for(world.official)
    due = datetime.date(rubric.year + 1, 3, 31)
    earlier = due - datetime.timedelta(days=10)
    response = client.post(
        url,
        {"self_assessment_due": due.isoformat(), "review_due": earlier.isoformat(), "approval_due": due.isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        f"Hạn thẩm định, đề xuất ({earlier:%d/%m/%Y}) phải cùng ngày hoặc sau hạn nộp tự đánh giá ({due:%d/%m/%Y})."
        in html
    )
    assert_no_english_constraint_text(html)
    response = client.post(
        url,
        {
            "self_assessment_due": earlier.isoformat(),
            "review_due": due.isoformat(),
            "approval_due": earlier.isoformat(),
        },
    )
    html = response.content.decode()
    assert "Hạn phê duyệt" in html and "phải cùng ngày hoặc sau hạn thẩm định, đề xuất" in html
    assert_no_english_constraint_text(html)
    assert not EvaluationCycle.objects.exists()


def test_threshold_columns_name_the_groups(world, rubric, client_for):
    html = client_for(world.official).get(reverse("evaluations:rubric", args=[rubric.pk])).content.decode()
    thead = html.split('<thead><tr><th scope="col">Xếp loại')[1].split("</thead>")[0]
    for name in (
        "1. Bộ máy quản lý",
        "2. Tổ chức hoạt động",
        "3. Huy động sự tham gia của xã hội",
        "4. Hiệu quả hoạt động",
    ):
        assert name in thead


def test_the_title_and_total_are_editable_until_the_rubric_freezes(world, rubric, client_for):
    client = client_for(world.official)
    url = reverse("evaluations:rubric_settings", args=[rubric.pk])
    response = client.post(url, {"title": "Bộ tiêu chí của Sở", "total_points": "100"})
    assert response.status_code == 302
    rubric.refresh_from_db()
    assert rubric.title == "Bộ tiêu chí của Sở" and not rubric.is_starter

    html = client.post(url, {"title": "X", "total_points": "90"}).content.decode()
    assert "Tổng điểm của bộ tiêu chí (90) nhỏ hơn điểm tối đa các tiêu chí đang cộng lại (100)." in html

    factories.submitted(world.centre_a, world.staff_a, year=rubric.year)  # the first submission freezes it
    html = client.get(reverse("evaluations:rubric", args=[rubric.pk])).content.decode()
    assert 'data-testid="rubric-settings"' not in html
    response = client.post(url, {"title": "Muộn", "total_points": "100"}, follow=True)
    assert "đã khóa vì đã có trung tâm nộp tự đánh giá" in response.content.decode()
    assert Rubric.objects.get(pk=rubric.pk).title == "Bộ tiêu chí của Sở"
