"""The learning-needs survey: the tally grid, who may see and change it, the locked year and the merged centre,
history, and the Excel import (preview, row errors, the same file twice changes nothing)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.models import Centre
from planning.forms import cell_name
from planning.models import NeedSurvey, NeedTally
from planning.spreadsheet import NEEDS_COLUMNS
from reports import audit
from tests.clock import days_from_today, this_year
from tests.courses.factories import kind
from tests.planning.helpers import csv_file, tally
from tests.reports.factories import AssessmentFactory, FigureFactory

pytestmark = pytest.mark.django_db


def url(centre, year=None):
    return reverse("planning:needs_centre", kwargs={"centre_pk": centre.pk, "year": year or this_year()})


def grid_post(client, centre, cells: dict, year=None, **extra):
    data = {cell_name(kind(code).pk, group): n for (code, group), n in cells.items()} | extra
    return client.post(url(centre, year), data, follow=True)


def test_staff_enter_the_tally_and_see_it_beside_the_classes_they_ran(world, client_for):
    FigureFactory(centre=world.centre_a, year=this_year(), programme_kind=kind("khuyen-nong"), classes=4)
    client = client_for(world.staff_a)
    response = grid_post(
        client, world.centre_a, {("khuyen-nong", "nong_dan"): 40, ("tin-hoc-ngoai-ngu", "thanh_nien"): 25}
    )
    assert "Đã lưu kết quả khảo sát" in response.content.decode()
    cells = {(t.programme_kind.code, t.group): t.respondents for t in NeedTally.objects.all()}
    assert cells == {("khuyen-nong", "nong_dan"): 40, ("tin-hoc-ngoai-ngu", "thanh_nien"): 25}
    needs = response.context["needs"]
    assert needs.total == 65
    # Asked for computing, no computing class this year: the gap; agriculture had its 4 classes.
    assert [row.kind.code for row in needs.gaps] == ["tin-hoc-ngoai-ngu"]


def test_an_emptied_cell_is_removed_and_history_keeps_every_change(world, client_for):
    tally(world.centre_a, this_year(), world.staff_a, {("khuyen-nong", "nong_dan"): 40})
    survey = NeedSurvey.objects.get()
    grid_post(client_for(world.staff_a), world.centre_a, {("khuyen-nong", "nong_dan"): ""}, version=survey.version)
    assert not NeedTally.objects.exists()
    assert NeedTally.history.filter(history_type="-").count() == 1
    entries = audit.recent_entries(
        user=world.official, filters=audit.AuditFilters(centre=world.centre_a, kind="nhu-cau"), limit=10
    )
    assert [e.action for e in entries] == ["Xóa", "Thêm mới"]


def test_a_save_made_since_the_page_opened_is_refused(world, client_for):
    tally(world.centre_a, this_year(), world.staff_a, {("khuyen-nong", "nong_dan"): 40})
    stale = NeedSurvey.objects.get().version
    tally(world.centre_a, this_year(), world.official, {("khuyen-nong", "nong_dan"): 41})
    response = grid_post(client_for(world.staff_a), world.centre_a, {("khuyen-nong", "nong_dan"): 50}, version=stale)
    assert "đã lưu thay đổi lúc" in response.content.decode()
    assert NeedTally.objects.get().respondents == 41


@pytest.mark.parametrize("outsider", ["staff_b", "reviewer_y", "other_official"])
def test_outsiders_get_404(world, client_for, outsider):
    client = client_for(getattr(world, outsider))
    assert client.get(url(world.centre_a)).status_code == 404
    assert client.post(url(world.centre_a), {}).status_code == 404


def test_the_reviewer_reads_and_may_not_write(world, client_for):
    tally(world.centre_a, this_year(), world.staff_a, {("khuyen-nong", "nong_dan"): 40})
    client = client_for(world.reviewer_x)
    response = client.get(url(world.centre_a))
    assert response.status_code == 200
    assert 'data-testid="tally-save"' not in response.content.decode()
    assert grid_post(client, world.centre_a, {("khuyen-nong", "nong_dan"): 1}).status_code == 403
    assert NeedTally.objects.get().respondents == 40


def test_a_locked_year_says_so_and_refuses_the_save(world, client_for):
    year = this_year() - 1
    AssessmentFactory(centre=world.centre_a, year=year)
    client = client_for(world.staff_a)
    page = client.get(url(world.centre_a, year)).content.decode()
    assert "đã được Sở phê duyệt và khóa" in page and 'data-testid="tally-save"' not in page
    response = grid_post(client, world.centre_a, {("khuyen-nong", "nong_dan"): 5}, year=year)
    assert "đã được Sở phê duyệt và khóa" in response.content.decode()
    assert not NeedSurvey.objects.exists()


def test_a_merged_centre_is_read_only(world, client_for):
    Centre.objects.filter(pk=world.centre_a.pk).update(
        status=Centre.Status.MERGED, merged_into=world.centre_b, status_date=days_from_today(-30)
    )
    client = client_for(world.staff_a)
    assert "đã sáp nhập hoặc giải thể" in client.get(url(world.centre_a)).content.decode()
    response = grid_post(client, world.centre_a, {("khuyen-nong", "nong_dan"): 5})
    assert response.status_code == 403 and "đã sáp nhập hoặc giải thể" in response.content.decode()
    assert not NeedSurvey.objects.exists()


# --- Excel ----------------------------------------------------------------------------------------------------


def needs_file(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("nhu-cau.csv", csv_file(NEEDS_COLUMNS, rows), "text/csv")


def upload(client, centre, rows):
    return client.post(reverse("planning:needs_import"), {"centre": centre.pk, "file": needs_file(rows)})


def test_the_template_downloads(world, client_for):
    response = client_for(world.staff_a).get(reverse("planning:needs_import_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_same_file_twice_changes_nothing_and_a_tick_updates(world, client_for):
    client = client_for(world.staff_a)
    year = this_year()
    rows = [
        [year, "Khuyến nông, khuyến lâm, khuyến ngư, khuyến công", "Nông dân", 120],
        [year, "tin-hoc-ngoai-ngu", "thanh_nien", 30],
    ]
    preview = upload(client, world.centre_a, rows)
    assert preview.context["result"].new_count == 2
    client.post(reverse("planning:needs_import_confirm"), follow=True)
    assert sorted(NeedTally.objects.values_list("respondents", flat=True)) == [30, 120]

    again = upload(client, world.centre_a, rows)
    assert again.context["result"].same_count == 2
    assert "Không có gì mới để nhập" in again.content.decode() and "đã có" in again.content.decode()
    client.post(reverse("planning:needs_import_confirm"), follow=True)
    assert sorted(NeedTally.objects.values_list("respondents", flat=True)) == [30, 120]

    rows[0][3] = 130
    changed = upload(client, world.centre_a, rows)
    assert changed.context["result"].changed_count == 1
    client.post(reverse("planning:needs_import_confirm"))  # not ticked: kept
    assert sorted(NeedTally.objects.values_list("respondents", flat=True)) == [30, 120]
    upload(client, world.centre_a, rows)
    client.post(reverse("planning:needs_import_confirm"), {"cap_nhat": "1"})
    assert sorted(NeedTally.objects.values_list("respondents", flat=True)) == [30, 130]


def test_bad_rows_are_named_in_vietnamese_and_nothing_is_written(world, client_for):
    year = this_year()
    rows = [[year, "Nuôi ong", "Nông dân", 5], [year, "tin-hoc-ngoai-ngu", "Học sinh", 5], [year, "tin-hoc-ngoai-ngu", "phu_nu", "mười"],
            [year, "tin-hoc-ngoai-ngu", "phu_nu", 3], [year, "tin-hoc-ngoai-ngu", "phu_nu", 4]]  # fmt: skip
    response = upload(client_for(world.staff_a), world.centre_a, rows)
    errors = response.context["result"].errors
    assert errors == [
        "Dòng 2, cột «Loại chương trình»: «Nuôi ong» không có trong danh sách loại chương trình.",
        "Dòng 3, cột «Nhóm đối tượng»: «Học sinh» không có trong danh sách nhóm đối tượng.",
        "Dòng 4, cột «Số người có nhu cầu»: phải là số nguyên, nhận được «mười».",
        "Dòng 6, cột «Nhóm đối tượng»: trùng với dòng 5 (cùng năm, loại và nhóm).",
    ]
    assert not NeedSurvey.objects.exists()


def test_a_locked_year_in_the_file_is_a_row_error(world, client_for):
    AssessmentFactory(centre=world.centre_a, year=this_year() - 1)
    response = upload(client_for(world.staff_a), world.centre_a, [[this_year() - 1, "tin-hoc-ngoai-ngu", "phu_nu", 3]])
    assert "đã được Sở phê duyệt và khóa" in response.context["result"].errors[0]


def test_the_template_filled_in_excel_imports(world, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(world.staff_a)
    book = load_workbook(io.BytesIO(client.get(reverse("planning:needs_import_template")).content))
    sheet = book["Nhu cầu học tập"]
    assert [c.value for c in sheet[1]] == NEEDS_COLUMNS
    assert "Nông dân" in [row[0] for row in book["Nhóm đối tượng"].iter_rows(min_row=2, values_only=True)]
    sheet.append([this_year(), "Sức khỏe cộng đồng", "Người cao tuổi (từ 60 tuổi)", 35])
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("nhu-cau.xlsx", out.getvalue())
    preview = client.post(reverse("planning:needs_import"), {"centre": world.centre_a.pk, "file": file})
    assert preview.context["result"].errors == [] and preview.context["result"].new_count == 1
    client.post(reverse("planning:needs_import_confirm"))
    assert NeedTally.objects.get().group == "cao_tuoi"
