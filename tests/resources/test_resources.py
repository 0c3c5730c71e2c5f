"""Resources mobilised: contributions one by one and from Excel (never counted twice), equipment joining the
facilities, the centre page's totals, the province's page and export recomputed from the raw rows, the evidence
beside group 3 of the self-assessment, scoping, locks and mergers."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from centres.models import Equipment
from centres.services import centres_merge
from evaluations import services as evaluation_services
from evaluations.models import Assessment
from resources import services
from resources.models import Contribution, Kind, Source
from resources.spreadsheet import (
    DATE_COLUMN,
    DESCRIPTION_COLUMN,
    KIND_COLUMN,
    QUANTITY_COLUMN,
    SOURCE_COLUMN,
    VALUE_COLUMN,
)
from tests import clock
from tests.evaluations.factories import rubric
from tests.factories import CentreFactory, CommuneFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _give(world, centre=None, *, day=None, source=Source.DOANH_NGHIEP, kind=Kind.MONEY, value=5_000_000, text="Hỗ trợ"):
    centre = centre or world.centre_a
    return services.contribution_record(
        centre=centre, date=day or clock.days_from_today(-20), source=source, kind=kind, value=value,
        description=text, by=world.official,
    )  # fmt: skip


def _file(rows, name="nguon-luc.csv"):
    out = io.StringIO()
    header = [DATE_COLUMN, SOURCE_COLUMN, KIND_COLUMN, VALUE_COLUMN, QUANTITY_COLUMN, DESCRIPTION_COLUMN]
    csv.writer(out).writerows([header, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode(), "text/csv")


# --- Services and constraints -----------------------------------------------------------------------------------


def test_equipment_received_joins_the_facilities_in_the_same_transaction(world):
    item = services.contribution_record(
        centre=world.centre_a, date=clock.days_from_today(-3), source=Source.DOANH_NGHIEP, kind=Kind.EQUIPMENT,
        value=12_000_000, quantity=2, description="Máy tính để bàn", by=world.staff_a,
    )  # fmt: skip
    equipment = Equipment.objects.get(centre=world.centre_a)
    assert (equipment.name, equipment.quantity, item.equipment_id) == ("Máy tính để bàn", 2, equipment.pk)
    assert equipment.contribution == item  # linked back
    services.contribution_archive(contribution=item, by=world.staff_a)
    assert not Equipment.objects.exists() and Equipment.all_objects.get().archived_at == item.archived_at


def test_money_and_equipment_need_a_value_and_values_are_never_negative(world):
    with pytest.raises(ValidationError, match="phải ghi giá trị"):
        _give(world, value=None)
    _give(world, kind=Kind.LABOUR, value=None, text="Ngày công")  # labour may have none
    with transaction.atomic(), pytest.raises(IntegrityError):
        Contribution.objects.create(
            centre=world.centre_a, date=clock.today(), source=Source.CA_NHAN, kind=Kind.MONEY, description="x"
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Contribution.objects.create(
            centre=world.centre_a, date=clock.today(), source=Source.CA_NHAN, kind=Kind.BOOKS, value=-1, description="y"
        )


def test_the_same_contribution_twice_is_refused(world):
    _give(world, text="Hỗ trợ lớp học")
    with pytest.raises(ValidationError, match="đã được ghi"):
        _give(world, text="hỗ trợ  LỚP HỌC")


def test_a_locked_year_and_a_merged_centre_refuse_with_the_reason(world):
    year = clock.this_year() - 1
    Assessment.objects.create(centre=world.centre_a, year=year, status=Assessment.Status.APPROVED, rating="tot")
    with pytest.raises(ValidationError, match="đã được Sở phê duyệt và khóa"):
        _give(world, day=D(year, 5, 1))
    old = _give(world, day=D(year + 1, 1, 5))
    other = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    gift = _give(world, other, day=D(year + 1, 1, 5))
    centres_merge(sources=[other], target=world.centre_a, on_date=clock.days_from_today(-3), by=world.official)
    gift.centre.refresh_from_db()
    with pytest.raises(PermissionDenied, match="đã sáp nhập"):
        services.contribution_archive(contribution=gift, by=world.official)
    assert old.pk and Contribution.objects.count() == 2


# --- Pages ------------------------------------------------------------------------------------------------------


def test_staff_record_a_contribution_and_see_the_totals(world, client_for):
    client = client_for(world.staff_a)
    url = reverse("resources:centre", args=[world.centre_a.pk])
    response = client.post(
        url,
        {"date": clock.days_from_today(-2).isoformat(), "source": "khuyen_hoc", "kind": "tien", "value": "3000000",
         "description": "Quỹ khuyến học"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(url)
    assert "Quỹ khuyến học" in page.content.decode()
    (year, totals), *_ = page.context["totals_by_year"]
    assert (year, totals.total, totals.by_source) == (clock.today().year, 3_000_000, {"khuyen_hoc": 3_000_000})
    body = client.get(reverse("centres:detail", args=[world.centre_a.pk])).content.decode()
    assert "3.000.000" in body and "Hội Khuyến học" in body


def test_the_form_says_what_is_missing(world, client_for):
    response = client_for(world.staff_a).post(
        reverse("resources:centre", args=[world.centre_a.pk]),
        {
            "date": clock.days_from_today(-2).isoformat(),
            "source": "ca_nhan",
            "kind": "thiet_bi",
            "description": "Ti vi",
        },
    )
    assert response.status_code == 400 and "Tiền và thiết bị phải ghi giá trị (đồng)." in response.content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("name", ["resources:centre", "resources:import", "resources:delete"])
def test_outsiders_get_404(world, client_for, name):
    gift = _give(world, world.centre_b)
    arg = gift.pk if name == "resources:delete" else world.centre_b.pk
    for outsider in (world.staff_a, world.reviewer_x, world.other_official):
        client = client_for(outsider)
        response = (
            client.post(reverse(name, args=[arg]))
            if name == "resources:delete"
            else client.get(reverse(name, args=[arg]))
        )
        assert response.status_code == 404
    assert Contribution.objects.count() == 1


def test_the_reviewer_reads_but_may_not_write(world, client_for):
    gift = _give(world)
    client = client_for(world.reviewer_x)
    assert client.get(reverse("resources:centre", args=[world.centre_a.pk])).status_code == 200
    assert client.post(reverse("resources:delete", args=[gift.pk])).status_code == 403
    assert client.post(reverse("resources:centre", args=[world.centre_a.pk]), {}).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_the_centre_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    for i in range(n):
        _give(world, text=f"Khoản {i}", kind=Kind.EQUIPMENT if i % 2 else Kind.MONEY)
    client = client_for(world.staff_a)
    # 1 session, 2 user with their centre (menu: accounts/backends.py), 3 centre with units, 4 the year's
    # contributions with their equipment, 5 the totals by year and source.
    with django_assert_num_queries(5):
        response = client.get(reverse("resources:centre", args=[world.centre_a.pk]))
    assert len(response.context["contributions"]) == n


# --- Import -----------------------------------------------------------------------------------------------------


def test_the_import_previews_names_bad_rows_and_counts_once(world, client_for):
    client = client_for(world.staff_a)
    url = reverse("resources:import", args=[world.centre_a.pk])
    day = clock.days_from_today(-30).strftime("%d/%m/%Y")
    bad = client.post(
        url, {"file": _file([[day, "Ngân hàng", "Tiền", "1", "", "A"], [day, "Cá nhân", "Thiết bị", "", "1", "B"]])}
    ).content.decode()
    assert "Dòng 2, cột «Nguồn»: «Ngân hàng» không có trong danh sách" in bad
    assert "Dòng 3, cột «Giá trị (đồng)»: Tiền và thiết bị phải ghi giá trị (đồng)." in bad
    rows = [
        [day, "Doanh nghiệp", "Thiết bị", "12.000.000", "2", "Máy chiếu"],
        [day, "hội khuyến học", "tiền", "2000000", "", "Hỗ trợ lớp học"],
        [day, "Cá nhân", "Ngày công", "", "10", "Sửa phòng học"],
    ]
    preview = client.post(url, {"file": _file(rows)}).content.decode()
    assert 'data-testid="import-preview"' in preview and not Contribution.objects.exists()
    client.post(reverse("resources:import_confirm", args=[world.centre_a.pk]))
    assert Contribution.objects.count() == 3 and Equipment.objects.get().name == "Máy chiếu"
    again = client.post(url, {"file": _file(rows)}).content.decode()
    assert 'data-testid="import-nothing-new"' in again
    client.post(reverse("resources:import_confirm", args=[world.centre_a.pk]))
    assert Contribution.all_objects.count() == 3 and Equipment.all_objects.count() == 1


# --- The province: recomputed from the raw rows -----------------------------------------------------------------


def _spread(world):
    year = clock.this_year() - 1
    for centre, scale in ((world.centre_a, 1), (world.centre_b, 10)):
        _give(world, centre, day=D(year, 2, 1), source=Source.NSNN_XA, value=1_000_000 * scale, text="Ngân sách")
        _give(world, centre, day=D(year, 3, 1), source=Source.CA_NHAN, value=500_000 * scale, text="Ủng hộ")
        _give(world, centre, day=D(year, 4, 1), source=Source.CA_NHAN, kind=Kind.BOOKS, value=None, text="Sách")
        _give(world, centre, day=D(year - 1, 4, 1), source=Source.CA_NHAN, value=77, text="Năm trước")
    removed = _give(world, day=D(year, 5, 1), source=Source.QUOC_TE, value=9_999_999, text="Xóa")
    services.contribution_archive(contribution=removed, by=world.official)
    return year


def _recount(centre, year):
    found = {}
    for c in Contribution.objects.filter(centre=centre, date__year=year):
        found[c.source] = found.get(c.source, 0) + (c.value or 0)
    return found


def test_the_province_page_and_export_equal_a_recount_of_the_raw_rows(world, client_for):
    from openpyxl import load_workbook

    year = _spread(world)
    client = client_for(world.official)
    response = client.get(reverse("resources:overview"), {"nam": year})
    rows = {r.pk: r for r in response.context["rows"]}
    for centre in (world.centre_a, world.centre_b):
        assert rows[centre.pk].totals.by_source == _recount(centre, year)
    trend = dict(response.context["trend"])
    assert trend[year].total == sum(sum(_recount(c, year).values()) for c in (world.centre_a, world.centre_b))
    assert trend[year].count == 6
    exported = client.get(reverse("reports:export", args=["nguon-luc"]), {"nam": year})
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    lines = {r[3]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[3]}
    assert lines[world.centre_b.name][4 + len(Source)] == sum(_recount(world.centre_b, year).values())


def test_the_reviewer_sees_only_their_office_and_staff_are_refused(world, client_for):
    year = _spread(world)
    rows = client_for(world.reviewer_x).get(reverse("resources:overview"), {"nam": year}).context["rows"]
    assert [r.pk for r in rows] == [world.centre_a.pk]
    assert client_for(world.staff_a).get(reverse("resources:overview")).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_the_province_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    year = clock.this_year() - 1
    for _ in range(n):
        centre = CentreFactory(commune=CommuneFactory(district=world.district_x))
        _give(world, centre, day=D(year, 3, 1))
    client = client_for(world.official)
    # 1 session, 2 user with their province (the page's header: accounts/backends.py), 3 the official's province
    # ids, 4 the totals by year and source, 5 the year's totals by centre and source, 6 the centres.
    with django_assert_num_queries(6):
        response = client.get(reverse("resources:overview"), {"nam": year})
    assert len(response.context["rows"]) == n + 2


# --- Evidence for the self-assessment's group 3 -----------------------------------------------------------------


def test_the_self_assessment_shows_the_years_contributions_beside_group_3(world, client_for):
    year = clock.this_year() - 1
    rubric(year)
    _give(world, day=D(year, 6, 1), text="Doanh nghiệp tặng máy chiếu", kind=Kind.EQUIPMENT, value=9_000_000)
    _give(world, day=D(year + 1, 1, 2), text="Năm sau")
    assessment = evaluation_services.assessment_start(centre=world.centre_a, year=year, by=world.staff_a)
    body = client_for(world.staff_a).get(reverse("evaluations:detail", args=[assessment.pk])).content.decode()
    evidence = body[body.index('data-testid="resources-evidence"') :]
    assert "Doanh nghiệp tặng máy chiếu" in evidence and "9.000.000" in evidence and "Năm sau" not in body
    legend = body.rindex("Huy động sự tham gia của xã hội", 0, body.index('data-testid="resources-evidence"'))
    assert legend > body.rfind("Tổ chức hoạt động", 0, legend)  # inside group 3's fieldset
