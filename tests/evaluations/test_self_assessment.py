"""The self-assessment as centre staff and reviewers use it (issue 13, item 7): an upload keeps what was
typed, running totals and the rating they give, a submit that says what happens next, the centre's own
words and evidence beside each criterion for the reviewer, a return from the review page, and a history
in Vietnamese."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from evaluations import services
from evaluations.models import Assessment
from tests.evaluations import factories

pytestmark = pytest.mark.django_db
Status = Assessment.Status


@pytest.fixture
def draft(world):
    factories.rubric()
    return services.assessment_start(centre=world.centre_a, year=factories.last_year(), by=world.staff_a)


def sheet(a, points: Decimal, **extra) -> dict:
    data = {"version": a.version, "comment": "Trung tâm đã làm đủ"}
    for c in a.rubric.criteria.all():
        data[f"points_{c.pk}"] = str(min(points, c.max_points))
        data[f"text_{c.pk}"] = f"Sổ theo dõi {c.code}"
    return {**data, **extra}


def detail(client, a) -> str:
    return client.get(reverse("evaluations:detail", args=[a.pk])).content.decode()


def test_uploading_evidence_saves_the_points_typed_but_not_saved(world, draft, client_for):
    first = draft.rubric.criteria.first()
    data = sheet(draft, Decimal("2.5"), criterion=str(first.pk))
    data["file"] = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    response = client_for(world.staff_a).post(reverse("evaluations:attach", args=[draft.pk]), data, follow=True)
    draft.refresh_from_db()
    assert draft.self_score == Decimal("35")  # 2,5 on each of the 14 criteria, kept
    assert draft.self_comment == "Trung tâm đã làm đủ"
    attachment = draft.attachments.get()
    assert attachment.name == "bien-ban.pdf" and attachment.criterion == first
    html = response.content.decode()
    assert "Đã lưu điểm đang nhập." in html and "Đã đính kèm tệp." in html


def test_the_upload_button_belongs_to_the_score_sheet(world, draft, client_for):
    html = detail(client_for(world.staff_a), draft)
    assert 'id="self-form"' in html
    assert f'form="self-form" formaction="{reverse("evaluations:attach", args=[draft.pk])}"' in html
    file_input = (
        "<input" + html.split('name="file"')[0].rsplit("<input", 1)[1] + html.split('name="file"')[1].split(">")[0]
    )
    assert 'form="self-form"' in file_input


def test_the_sheet_shows_running_totals_per_group_overall_and_the_rating_they_give(world, draft, client_for):
    services.assessment_self_save(
        assessment=draft, version=draft.version, entries=factories.full_points(draft), comment="", by=world.staff_a
    )
    html = detail(client_for(world.staff_a), draft)
    # 90 % of each maximum, rounded to halves: 4,5 on a 5-point criterion, 9 on a 10-point one
    assert "Cộng nhóm:" in html
    assert '<span data-group-total="1">18</span> / 20' in html
    assert "<span data-sheet-total>90</span> / 100" in html
    assert "Xếp loại theo điểm đang nhập:" in html and "<strong data-sheet-rating>Tốt</strong>" in html
    assert "js/score_sheet.js" in html and "data-thresholds=" in html


def test_a_refused_post_keeps_the_typed_points_in_the_totals(world, draft, client_for):
    data = sheet(draft, Decimal(1))
    data[f"points_{draft.rubric.criteria.first().pk}"] = "9"  # above the maximum of 5
    response = client_for(world.staff_a).post(reverse("evaluations:self_save", args=[draft.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<span data-sheet-total>13</span> / 100" in html  # the 13 valid points; 9 is shown as an error


def test_save_and_submit_asks_first_and_says_what_happens_next(world, draft, client_for):
    html = detail(client_for(world.staff_a), draft)
    button = html.split('data-testid="submit-button"')[1].split(">")[0]
    assert "Sau khi nộp, trung tâm không sửa được nữa, trừ khi bị trả lại." in button
    assert f"Phiếu chuyển cho {escape(str(world.office_x))}" in button and "Sở phê duyệt" in button


def test_the_reviewer_sees_the_centres_comment_note_and_evidence_beside_each_criterion(world, draft, client_for):
    first = draft.rubric.criteria.first()
    staff = client_for(world.staff_a)
    data = sheet(draft, Decimal(4), criterion=str(first.pk), submit="1")
    data["file"] = SimpleUploadedFile("so-theo-doi.pdf", b"%PDF-1.4", content_type="application/pdf")
    staff.post(reverse("evaluations:attach", args=[draft.pk]), data)
    draft.refresh_from_db()
    services.assessment_submit(assessment=draft, version=draft.version, by=world.staff_a)
    html = detail(client_for(world.reviewer_x), draft)
    assert 'data-testid="centre-comment"' in html and "Trung tâm đã làm đủ" in html
    own = html.split('data-testid="centre-own"')[1].split("</div>\n")[0]
    assert f"Sổ theo dõi {first.code}" in own
    assert "so-theo-doi.pdf" in html.split('data-testid="centre-own"')[1].split('data-testid="centre-own"')[0]


def test_the_reviewer_returns_a_submitted_assessment_from_the_review_page(world, client_for):
    factories.rubric()
    a = factories.submitted(world.centre_a, world.staff_a)
    reviewer = client_for(world.reviewer_x)
    html = detail(reviewer, a)
    assert 'data-testid="reviewer-return"' in html
    response = reviewer.post(
        reverse("evaluations:return", args=[a.pk]), {"version": a.version, "reason": "Thiếu biên bản"}, follow=True
    )
    a.refresh_from_db()
    assert a.status == Status.RETURNED and a.return_reason == "Thiếu biên bản"
    assert "Đã trả lại cho trung tâm kèm lý do." in response.content.decode()


def test_the_reviewer_cannot_return_once_proposed(world, client_for):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x)
    response = client_for(world.reviewer_x).post(
        reverse("evaluations:return", args=[a.pk]), {"version": a.version, "reason": "Muộn"}
    )
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == Status.PROPOSED


def test_the_history_reads_in_vietnamese_with_formatted_points(world, client_for):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x, share=Decimal("0.85"))
    html = detail(client_for(world.staff_a), a)
    history = html.split('data-testid="history"')[1]
    assert "Điểm tự đánh giá: – → 83" in history
    assert "Tiêu chí 2.3: – → 8,5" in history  # 85 % of 10 points
    assert "Xếp loại đề xuất: Khá (theo ngưỡng)" in history
    for raw in ("self_score", "review_score", "proposed_rating", "tot → tot", "kha"):
        assert raw not in history
