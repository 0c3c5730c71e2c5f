"""Read-only shows before the user acts (issue 13, item 5): a submitted, proposed or approved assessment, and
a merged centre's, show no edit actions and say why."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import Centre
from evaluations import services
from tests.evaluations import factories

pytestmark = pytest.mark.django_db


def dissolve(centre) -> None:
    Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.DISSOLVED, status_date=timezone.localdate())


def page(client, assessment) -> str:
    return client.get(reverse("evaluations:detail", args=[assessment.pk])).content.decode()


def assert_no_edit_actions(html: str) -> None:
    assert 'data-testid="self-form"' not in html
    assert 'data-testid="review-form"' not in html
    assert "Tải lên" not in html
    assert "Lưu nháp" not in html


def test_staff_see_a_submitted_assessment_read_only_and_why(world, client_for):
    factories.rubric()
    a = factories.submitted(world.centre_a, world.staff_a)
    html = page(client_for(world.staff_a), a)
    assert_no_edit_actions(html)
    assert 'data-testid="read-only"' in html
    assert "Đã nộp: trung tâm không sửa được nữa, trừ khi Sở trả lại." in html


def test_staff_see_a_proposed_assessment_waits_for_the_province(world, client_for):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x)
    html = page(client_for(world.staff_a), a)
    assert_no_edit_actions(html)
    assert "Đơn vị thẩm định đã đề xuất xếp loại; chờ Sở phê duyệt." in html


def test_an_approved_assessment_is_read_only_for_staff_and_reviewer_and_says_the_year_is_locked(world, client_for):
    factories.rubric()
    a = factories.approved(world.centre_a, world.staff_a, world.reviewer_x, world.official)
    for user in (world.staff_a, world.reviewer_x):
        html = page(client_for(user), a)
        assert_no_edit_actions(html)
        assert 'data-testid="locked"' in html and "Đã phê duyệt và khóa" in html


def test_reviewer_sees_a_draft_cannot_be_reviewed_yet(world, client_for):
    factories.rubric()
    a = services.assessment_start(centre=world.centre_a, year=factories.last_year(), by=world.staff_a)
    html = page(client_for(world.reviewer_x), a)
    assert_no_edit_actions(html)
    assert "Trung tâm chưa nộp tự đánh giá; thẩm định khi trung tâm đã nộp." in html


def test_a_dissolved_centres_staff_see_no_edit_actions_and_why(world, client_for):
    factories.rubric()
    a = services.assessment_start(centre=world.centre_a, year=factories.last_year(), by=world.staff_a)
    dissolve(world.centre_a)
    html = page(client_for(world.staff_a), a)
    assert_no_edit_actions(html)
    assert "Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem." in html


def test_a_dissolved_centres_home_offers_no_new_assessment_and_says_why(world, client_for):
    factories.rubric()
    dissolve(world.centre_a)
    html = client_for(world.staff_a).get(reverse("evaluations:home")).content.decode()
    assert "Bắt đầu tự đánh giá" not in html
    assert "Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem." in html
