from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import services
from evaluations.models import Assessment, Rating
from tests.evaluations import factories

pytestmark = pytest.mark.django_db
Status = Assessment.Status


def sheet_post(a, points: Decimal, version=None, **extra):
    data = {"version": version or a.version, "comment": "Nhận xét"}
    for c in a.rubric.criteria.all():
        data[f"points_{c.pk}"] = str(min(points, c.max_points))
        data[f"text_{c.pk}"] = "Minh chứng"
    return {**data, **extra}


@pytest.fixture
def draft(world):
    factories.rubric()
    return services.assessment_start(centre=world.centre_a, year=2025, by=world.staff_a)


def test_staff_fills_and_submits_through_the_form(world, draft, client_for):
    client = client_for(world.staff_a)
    response = client.post(reverse("evaluations:self_save", args=[draft.pk]), sheet_post(draft, Decimal(5), submit="1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.self_score == 70  # 5 on each of the 14 criteria


def test_points_above_maximum_show_a_vietnamese_message_and_save_nothing(world, draft, client_for):
    data = sheet_post(draft, Decimal(1))
    first = draft.rubric.criteria.first()
    data[f"points_{first.pk}"] = "9"
    response = client_for(world.staff_a).post(reverse("evaluations:self_save", args=[draft.pk]), data)
    assert response.status_code == 400
    assert f"Tiêu chí {first.code}: tối đa 5 điểm." in response.content.decode()
    assert not draft.scores.exists()


def test_stale_form_tells_the_user_and_shows_the_latest(world, draft, client_for):
    services.assessment_self_save(
        assessment=draft, version=1, entries=factories.full_points(draft), comment="", by=world.staff_a
    )
    client = client_for(world.staff_a)
    response = client.post(
        reverse("evaluations:self_save", args=[draft.pk]), sheet_post(draft, Decimal(1), version=1), follow=True
    )
    assert "Người khác vừa sửa" in response.content.decode()
    draft.refresh_from_db()
    assert draft.self_score == sum(e.points for e in factories.full_points(draft).values())


def test_reviewer_of_another_office_gets_404_on_read_and_write(world, draft, client_for):
    client = client_for(world.reviewer_y)
    assert client.get(reverse("evaluations:detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("evaluations:review_save", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("evaluations:propose", args=[draft.pk]), {}).status_code == 404


def test_other_centres_staff_and_other_province_get_404(world, draft, client_for):
    assert client_for(world.staff_b).get(reverse("evaluations:detail", args=[draft.pk])).status_code == 404
    assert (
        client_for(world.other_official)
        .post(reverse("evaluations:approve", args=[draft.pk]), {"version": 1})
        .status_code
        == 404
    )


def test_staff_cannot_review_or_approve_403(world, client_for):
    factories.rubric()
    a = factories.submitted(world.centre_a, world.staff_a)
    client = client_for(world.staff_a)
    assert client.post(reverse("evaluations:review_save", args=[a.pk]), sheet_post(a, Decimal(1))).status_code == 403
    assert client.post(reverse("evaluations:approve", args=[a.pk]), {"version": a.version}).status_code == 403
    assert client.get(reverse("evaluations:rubrics")).status_code == 403


def test_reviewer_cannot_fill_the_self_assessment_403(world, draft, client_for):
    response = client_for(world.reviewer_x).post(
        reverse("evaluations:self_save", args=[draft.pk]), sheet_post(draft, Decimal(1))
    )
    assert response.status_code == 403


def test_reviewer_scores_and_proposes_then_province_approves_and_the_page_is_locked(world, client_for):
    factories.rubric()
    a = factories.submitted(world.centre_a, world.staff_a)
    client = client_for(world.reviewer_x)
    client.post(reverse("evaluations:review_save", args=[a.pk]), sheet_post(a, Decimal(5)))
    a.refresh_from_db()
    assert a.review_score == 70
    page = client.get(reverse("evaluations:detail", args=[a.pk])).content.decode()
    assert "Theo ngưỡng của bộ tiêu chí: <strong>Khá</strong>" in page
    client.post(reverse("evaluations:propose", args=[a.pk]), {"version": a.version, "rating": Rating.KHA, "reason": ""})
    a.refresh_from_db()
    client = client_for(world.official)
    client.post(reverse("evaluations:approve", args=[a.pk]), {"version": a.version})
    a.refresh_from_db()
    assert a.status == Status.APPROVED and a.rating == Rating.KHA
    page = client_for(world.staff_a).get(reverse("evaluations:detail", args=[a.pk])).content.decode()
    assert 'data-testid="locked"' in page and 'data-testid="self-form"' not in page


def test_attachment_type_and_size_are_checked(world, draft, client_for, settings):
    client = client_for(world.staff_a)
    url = reverse("evaluations:attach", args=[draft.pk])
    response = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "Chỉ nhận tệp PDF" in response.content.decode()
    settings.MAX_UPLOAD_BYTES = 10
    response = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-" + b"x" * 20)}, follow=True)
    assert "Tệp quá lớn" in response.content.decode()
    settings.MAX_UPLOAD_BYTES = 1000
    client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4")})
    assert list(draft.attachments.values_list("name", flat=True)) == ["bien-ban.pdf"]


def test_bulk_approve_only_touches_the_office_and_province_in_scope(world, client_for):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x)
    b = factories.proposed(world.centre_b, world.staff_b, world.reviewer_y)
    url = reverse("evaluations:bulk_approve", args=[world.office_x.pk])
    assert client_for(world.reviewer_x).post(url, {"nam": 2025}).status_code == 403
    client_for(world.other_official).post(url, {"nam": 2025})
    a.refresh_from_db()
    assert a.status == Status.PROPOSED
    client_for(world.official).post(url, {"nam": 2025})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.APPROVED, Status.PROPOSED)


def test_reviewer_overview_query_count_is_pinned(world, client_for, django_assert_num_queries):
    factories.rubric()
    factories.submitted(world.centre_a, world.staff_a)
    client = client_for(world.reviewer_x)
    # session, user with their office (accounts/backends.py), rubric years, centres of the office with units,
    # that year's assessments (prefetch)
    with django_assert_num_queries(5):
        response = client.get(reverse("evaluations:home"), {"nam": 2025})
    page = response.content.decode()
    assert "Xã Đông Phương" in page and "Xã Thụy Trường" not in page


def test_province_overview_query_count_is_pinned(world, client_for, django_assert_num_queries):
    factories.rubric()
    factories.submitted(world.centre_a, world.staff_a)
    client = client_for(world.official)
    # session, user with their province (accounts/backends.py), rubric years, province ids (scoping), centres
    # per office, assessments per office and status
    with django_assert_num_queries(6):
        response = client.get(reverse("evaluations:home"), {"nam": 2025})
    assert response.status_code == 200
    offices = response.context["offices"]
    assert {o.name: (o.centres, o.by_status) for o in offices}[world.office_x.name] == (1, {"submitted": 1})


def test_distribution_shows_percentages_adding_to_100_and_change_on_an_earlier_year(
    world, client_for, django_assert_num_queries
):
    factories.rubric(2024)
    factories.rubric(2025)
    factories.approved(
        world.centre_a, world.staff_a, world.reviewer_x, world.official, year=2024, share=Decimal("0.75")
    )
    factories.approved(world.centre_a, world.staff_a, world.reviewer_x, world.official, year=2025)
    factories.approved(
        world.centre_b, world.staff_b, world.reviewer_y, world.official, year=2025, share=Decimal("0.75")
    )
    client = client_for(world.official)
    # session, user with their province (accounts/backends.py), rubric years, province ids, 2025 counts, 2024
    # counts
    with django_assert_num_queries(6):
        response = client.get(reverse("evaluations:distribution"), {"nam": 2025, "so_voi": 2024})
    whole = response.context["rows"][-1]
    assert whole.total == 2
    assert whole.shares == {
        "tot": Decimal("50.0"),
        "kha": Decimal("50.0"),
        "trung_binh": Decimal("0.0"),
        "yeu": Decimal("0.0"),
    }
    assert whole.changes["tot"] == Decimal("50.0")
    assert "50,0%" in response.content.decode()


def test_overdue_lists_centres_past_their_deadline(world, client_for):
    import datetime

    factories.rubric()
    services.cycle_save(
        province=world.province,
        year=2025,
        self_assessment_due=datetime.date(2020, 1, 1),
        review_due=datetime.date(2020, 2, 1),
        approval_due=datetime.date(2020, 3, 1),
        by=world.official,
    )
    factories.submitted(world.centre_a, world.staff_a)
    response = client_for(world.official).get(reverse("evaluations:overdue"), {"nam": 2025})
    steps = {r.centre.pk: str(r.step) for r in response.context["rows"]}
    assert steps == {world.centre_a.pk: "Thẩm định, đề xuất", world.centre_b.pk: "Nộp tự đánh giá"}


def test_province_assigns_a_reviewing_office_in_bulk(world, client_for):
    url = reverse("evaluations:assign_offices")
    assert client_for(world.reviewer_x).get(url).status_code == 403
    client = client_for(world.official)
    client.post(url, {"office": world.office_y.pk, "centres": [world.centre_a.pk]})
    world.centre_a.refresh_from_db()
    assert world.centre_a.review_office == world.office_y
    # Another province's office is not offered.
    from tests.factories import OfficeFactory

    foreign = OfficeFactory(province=world.other_province, district=None, kind="department", name="Sở khác")
    response = client.post(url, {"office": foreign.pk, "centres": [world.centre_b.pk]})
    assert response.status_code == 200
    world.centre_b.refresh_from_db()
    assert world.centre_b.review_office == world.office_y


def test_rubric_editor_records_edits_and_refuses_when_frozen(world, client_for):
    rubric = factories.rubric()
    client = client_for(world.official)
    page = client.get(reverse("evaluations:rubric", args=[rubric.pk])).content.decode()
    assert "Mẫu khởi đầu — cần Sở chỉnh sửa" in page
    client.post(
        reverse("evaluations:rubric_settings", args=[rubric.pk]), {"title": "Bộ tiêu chí 2025", "total_points": "105"}
    )
    client.post(
        reverse("evaluations:criterion_add", args=[rubric.pk]),
        {"new-group": 4, "new-title": "Thư viện số", "new-description": "", "new-max_points": "5"},
    )
    assert rubric.criteria.filter(title="Thư viện số").exists()
    assert rubric.events.filter(action="criterion_add", actor=world.official).exists()
    factories.submitted(world.centre_a, world.staff_a)
    response = client.post(
        reverse("evaluations:criterion_add", args=[rubric.pk]),
        {"new-group": 4, "new-title": "Muộn", "new-description": "", "new-max_points": "5"},
        follow=True,
    )
    assert "đã khóa" in response.content.decode()
    assert not rubric.criteria.filter(title="Muộn").exists()


def test_attachments_download_only_for_those_who_see_the_centre(world, draft, client_for):
    client_for(world.staff_a).post(
        reverse("evaluations:attach", args=[draft.pk]), {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 ok")}
    )
    attachment = draft.attachments.get()
    url = reverse("evaluations:attachment", args=[attachment.pk])
    response = client_for(world.reviewer_x).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ok"
    assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]
    for outsider in (world.staff_b, world.reviewer_y, world.other_official):
        assert client_for(outsider).get(url).status_code == 404
