"""The annual activity plan: lines by kind and month, the commune's approval (then read-only, saying why), the
province's reopening, plan against actual from the kept figures (its page and the centre page), the locked year,
the merged centre, and the Excel import."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from centres.models import Centre
from planning.models import ActivityPlan, PlanLine
from planning.spreadsheet import PLAN_COLUMNS
from reports import audit
from tests.clock import days_from_today, this_year
from tests.courses.factories import kind
from tests.planning.helpers import approved_plan, csv_file, plan_line
from tests.reports.factories import AssessmentFactory, FigureFactory

pytestmark = pytest.mark.django_db


def url(name, centre, year=None):
    return reverse(f"planning:{name}", kwargs={"centre_pk": centre.pk, "year": year or this_year()})


def line_data(code="phap-luat", month=3, count=2, expected=200, activity="talk"):
    return {"programme_kind": kind(code).pk, "activity": activity, "month": month, "count": count, "expected": expected}


def test_staff_add_change_and_delete_lines(world, client_for):
    client = client_for(world.staff_a)
    response = client.post(url("plan_centre", world.centre_a), line_data(), follow=True)
    assert "Đã lưu dòng kế hoạch" in response.content.decode()
    client.post(url("plan_centre", world.centre_a), line_data(count=3, expected=450))  # same kind, form, month
    line = PlanLine.objects.get()
    assert (line.count, line.expected, line.plan.status) == (3, 450, "draft")
    client.post(url("plan_line_delete", world.centre_a), {"dong": line.pk})
    assert not PlanLine.objects.exists()
    entries = audit.recent_entries(
        user=world.official, filters=audit.AuditFilters(centre=world.centre_a, kind="dong-ke-hoach"), limit=10
    )
    assert [e.action for e in entries] == ["Xóa", "Sửa", "Thêm mới"]


def test_an_approved_plan_needs_its_decision_and_is_then_read_only(world, client_for):
    plan_line(world.centre_a, this_year(), world.staff_a)
    client = client_for(world.staff_a)
    refused = client.post(url("plan_approve", world.centre_a), {"decision_number": "", "signer": ""}, follow=True)
    assert ActivityPlan.objects.get().status == "draft"
    assert "Số quyết định" in refused.content.decode() or "bắt buộc" in refused.content.decode()
    day = days_from_today(-3)
    client.post(url("plan_approve", world.centre_a), {"decision_number": "15/QĐ-UBND", "decision_date": day.isoformat(),
                                                     "signer": "Nguyễn Văn Hùng"})  # fmt: skip
    plan = ActivityPlan.objects.get()
    assert (plan.status, plan.decision_number, plan.decision_date) == ("approved", "15/QĐ-UBND", day)
    page = client.get(url("plan_centre", world.centre_a)).content.decode()
    assert "đã được UBND xã phê duyệt (quyết định số 15/QĐ-UBND); chỉ được xem" in page
    assert 'data-testid="plan-line-form"' not in page
    response = client.post(url("plan_centre", world.centre_a), line_data(month=5), follow=True)
    assert "chỉ được xem" in response.content.decode()
    assert PlanLine.objects.count() == 1


def test_the_database_refuses_an_approval_without_a_decision(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityPlan.objects.create(centre=world.centre_a, year=this_year(), status="approved")


def test_the_province_reopens_an_approved_plan_and_staff_may_not(world, client_for):
    approved_plan(world.centre_a, this_year(), world.staff_a)
    assert client_for(world.staff_a).post(url("plan_reopen", world.centre_a)).status_code == 403
    client_for(world.official).post(url("plan_reopen", world.centre_a))
    assert ActivityPlan.objects.get().status == "draft"


def test_plan_against_actual_reads_the_kept_figures(world, client_for):
    year = this_year()
    plan_line(world.centre_a, year, world.staff_a, code="phap-luat", month=3, count=4, expected=400)
    plan_line(world.centre_a, year, world.staff_a, code="phap-luat", month=9, count=4, expected=400)
    plan_line(world.centre_a, year, world.staff_a, code="khuyen-nong", month=4, count=5, expected=300)
    FigureFactory(
        centre=world.centre_a, year=year, programme_kind=kind("phap-luat"), classes=6, participations=700, women=300
    )
    FigureFactory(
        centre=world.centre_a,
        year=year,
        programme_kind=kind("suc-khoe"),
        classes=2,
        participations=90,
        women=40,
        minorities=0,
    )
    # Sessions this year of a class started last year: participations without a class, on neither page's rows.
    FigureFactory(
        centre=world.centre_a,
        year=year,
        programme_kind=kind("khac"),
        classes=0,
        participations=50,
        women=20,
        minorities=0,
    )
    comparison = client_for(world.staff_a).get(url("plan_centre", world.centre_a)).context["comparison"]
    rows = {r.kind.code: (r.planned, r.actual, r.done, r.expected, r.participations) for r in comparison.rows}
    assert rows == {
        "phap-luat": (8, 6, 75, 800, 700),
        "khuyen-nong": (5, 0, 0, 300, 0),
        "suc-khoe": (0, 2, None, 0, 90),
    }
    response = client_for(world.staff_a).get(reverse("centres:detail", args=[world.centre_a.pk]))
    centre_page = response.content.decode()
    assert 'data-testid="centre-plan-actual"' in centre_page and "61,5%" in centre_page  # 8 of 13 classes
    assert "71,8%" in centre_page  # 790 of 1.100 participations
    # The centre page's section reads its total without the kinds: the same total as the plan page's.
    total, page_total = comparison.total, response.context["plan_actual"].total
    assert (page_total.planned, page_total.actual, page_total.expected, page_total.participations) == (
        total.planned, total.actual, total.expected, total.participations
    ) == (13, 8, 1100, 790)  # fmt: skip


@pytest.mark.parametrize("outsider", ["staff_b", "reviewer_y", "other_official"])
def test_outsiders_get_404(world, client_for, outsider):
    plan_line(world.centre_a, this_year(), world.staff_a)
    client = client_for(getattr(world, outsider))
    assert client.get(url("plan_centre", world.centre_a)).status_code == 404
    for name in ("plan_centre", "plan_line_delete", "plan_approve", "plan_reopen"):
        assert client.post(url(name, world.centre_a), {"dong": PlanLine.objects.get().pk}).status_code == 404
    assert PlanLine.objects.count() == 1


def test_the_reviewer_reads_and_may_not_write(world, client_for):
    plan_line(world.centre_a, this_year(), world.staff_a)
    client = client_for(world.reviewer_x)
    page = client.get(url("plan_centre", world.centre_a)).content.decode()
    assert 'data-testid="plan-lines"' in page and 'data-testid="plan-line-form"' not in page
    assert client.post(url("plan_centre", world.centre_a), line_data(month=7)).status_code == 403
    assert client.post(url("plan_line_delete", world.centre_a), {"dong": PlanLine.objects.get().pk}).status_code == 403


def test_a_locked_year_refuses_every_plan_write(world, client_for):
    year = this_year() - 1
    plan_line(world.centre_a, year, world.staff_a)
    AssessmentFactory(centre=world.centre_a, year=year)
    client = client_for(world.staff_a)
    assert "đã được Sở phê duyệt và khóa" in client.get(url("plan_centre", world.centre_a, year)).content.decode()
    for name, data in [("plan_centre", line_data(month=8)), ("plan_line_delete", {"dong": PlanLine.objects.get().pk}),
                       ("plan_approve", {"decision_number": "1", "decision_date": f"{year}-01-10"})]:  # fmt: skip
        response = client.post(url(name, world.centre_a, year), data, follow=True)
        assert "đã được Sở phê duyệt và khóa" in response.content.decode(), name
    assert PlanLine.objects.count() == 1 and ActivityPlan.objects.get().status == "draft"


def test_a_merged_centre_refuses_plan_writes_with_the_reason(world, client_for):
    Centre.objects.filter(pk=world.centre_a.pk).update(
        status=Centre.Status.MERGED, merged_into=world.centre_b, status_date=days_from_today(-30)
    )
    response = client_for(world.staff_a).post(url("plan_centre", world.centre_a), line_data())
    assert response.status_code == 403 and "đã sáp nhập hoặc giải thể" in response.content.decode()
    assert not ActivityPlan.objects.exists()


# --- Excel ----------------------------------------------------------------------------------------------------


def upload(client, centre, rows):
    file = SimpleUploadedFile("ke-hoach.csv", csv_file(PLAN_COLUMNS, rows), "text/csv")
    return client.post(reverse("planning:plans_import"), {"centre": centre.pk, "file": file})


def test_a_plan_file_twice_adds_its_lines_once(world, client_for):
    client, year = client_for(world.staff_a), this_year()
    rows = [
        [year, "phap-luat", "Chuyên đề, nói chuyện", 3, 2, 300],
        [year, "Khuyến nông, khuyến lâm, khuyến ngư, khuyến công", "Lớp học", 4, 1, 120],
    ]
    assert upload(client, world.centre_a, rows).context["result"].new_count == 2
    client.post(reverse("planning:plans_import_confirm"))
    again = upload(client, world.centre_a, rows)
    assert again.context["result"].same_count == 2 and "Không có gì mới để nhập" in again.content.decode()
    client.post(reverse("planning:plans_import_confirm"))
    assert sorted(PlanLine.objects.values_list("month", "count", "expected")) == [(3, 2, 300), (4, 1, 120)]


def test_a_plan_file_for_an_approved_plan_is_refused_by_row(world, client_for):
    approved_plan(world.centre_a, this_year(), world.staff_a)
    response = upload(client_for(world.staff_a), world.centre_a, [[this_year(), "phap-luat", "Lớp học", 13, 0, 1]])
    errors = response.context["result"].errors
    assert errors[0] == "Dòng 2, cột «Tháng»: phải từ 1 đến 12."
    response = upload(client_for(world.staff_a), world.centre_a, [[this_year(), "phap-luat", "Lớp học", 5, 1, 10]])
    assert "đã được UBND xã phê duyệt" in response.context["result"].errors[0]


def test_decision_date_in_the_future_is_refused(world, client_for):
    plan_line(world.centre_a, this_year(), world.staff_a)
    tomorrow = days_from_today(1) if days_from_today(1).year == this_year() else datetime.date(this_year(), 12, 31)
    response = client_for(world.staff_a).post(
        url("plan_approve", world.centre_a),
        {"decision_number": "2/QĐ", "decision_date": tomorrow.isoformat()},
        follow=True,
    )
    assert "Ngày quyết định chưa đến" in response.content.decode()
