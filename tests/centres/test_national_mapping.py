"""The national old→new mapping (issue 16.6): one province or all, idempotent, all or nothing, one line when units
are missing; a split commune's centre goes to one new commune by a rule the province can override."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from centres.models import Centre, centre_default_name
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from units.models import REFORM_DATE, Commune, District, Province

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "units" / "data"
NATIONAL = DATA / "commune_mapping_2025_vn.csv"
REFORM = REFORM_DATE
LAST_DAY = REFORM_DATE - datetime.timedelta(days=1)
NATIONAL_HEADER = (
    "old_ward_code,old_ward_name,old_district_code,old_district_name,new_ward_code,new_ward_name,"
    "old_province_code,old_province_name,new_province_code,new_province_name,old_ward_split"
)


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out)
    return out.getvalue()


def centre_in_each_old_commune() -> None:
    communes = Commune.objects.filter(valid_from__lt=REFORM)
    Centre.objects.bulk_create([Centre(commune=c, name=centre_default_name(c)) for c in communes])


def new_commune_of_centre(old_code: str) -> str:
    return Centre.objects.get(commune__code=old_code, commune__valid_from__lt=REFORM).merged_into.commune.code


def test_the_national_mapping_applies_to_every_province_and_a_second_run_changes_nothing():
    """The one test that runs the whole country (both lists, the mapping twice): about 10 s on SQLite."""
    run("import_admin_units", DATA / "gso_legacy_vn.csv")
    run("import_admin_units", DATA / "gso_2025_vn.csv")
    out = run("import_commune_mapping", NATIONAL)
    assert "old communes: 10023, new communes: 3316" in out
    assert "communes marked: 10023, centres created: 3316, centres merged: 0" in out
    assert "districts closed: 675, provinces merged: 53" in out
    assert "split communes: 440 (" in out
    # 28 communes of the legacy list are not in the conversion table: their 10 provinces stay open …
    assert "communes not in the file: 28 in 10 provinces, left open" in out
    assert Province.objects.filter(valid_from__lt=REFORM, merged_into__isnull=True).count() == 10
    # … until the administrator says they ended with the reform.
    again = run("import_commune_mapping", NATIONAL, "--end-unmapped")
    assert "communes marked: 0, centres created: 0, centres merged: 0" in again
    assert "districts closed: 16, provinces merged: 10" in again
    assert "not in the file: 28 in 10 provinces, ended on 30/06/2025 without a successor (28 by this run)" in again
    assert not Province.objects.filter(valid_from__lt=REFORM, merged_into__isnull=True).exists()
    assert not Commune.objects.filter(valid_from__lt=REFORM, valid_until__isnull=True).exists()
    assert Centre.objects.active().count() == 3316
    thai_binh = Province.objects.get(code="34", valid_from__lt=REFORM)
    assert thai_binh.merged_into.code == "33" and thai_binh.merged_into.valid_from == REFORM


@pytest.fixture
def hung_yen_units(db):
    """Former Thái Bình and Hưng Yên (381 communes, each with a centre) and today's Hưng Yên (104 communes)."""
    for name in ("gso_legacy_thai_binh.csv", "gso_legacy_hung_yen.csv", "gso_2025_hung_yen.csv"):
        run("import_admin_units", DATA / name)
    centre_in_each_old_commune()


def test_one_new_province_of_the_national_mapping_needs_only_its_own_units(hung_yen_units):
    out = run("import_commune_mapping", NATIONAL, "--province", "33")
    assert "old communes: 381, new communes: 104" in out
    assert "communes marked: 381, centres created: 104, centres merged: 381" in out
    assert "districts closed: 18, provinces merged: 2" in out
    assert (
        "split communes: 3 (centre to the commune marked receives_centre: 0, that kept the code: 2, of the same name: 1"
        in out
    )
    new_hung_yen = Province.objects.get(code="33", valid_from=REFORM)
    assert set(Province.objects.filter(merged_into=new_hung_yen).values_list("code", flat=True)) == {"33", "34"}
    # An official of today's Hưng Yên sees the centres of both former provinces.
    official = UserFactory(role=User.Role.PROVINCE, province=new_hung_yen)
    assert Centre.objects.visible_to(official).filter(status="merged").count() == 381
    assert "communes marked: 0, centres created: 0, centres merged: 0" in run(
        "import_commune_mapping", NATIONAL, "--province", "33"
    )


def test_the_three_split_hung_yen_communes_send_their_centre_to_one_new_commune(hung_yen_units):
    out = run("import_commune_mapping", NATIONAL, "--province", "33", "-v", "2")
    # Xã Đình Dù (12004) went into Như Quỳnh and Đại Đồng: Như Quỳnh kept its code.
    assert new_commune_of_centre("12004") == "12004"
    # Xã Ngọc Thanh (12322) went into Hiệp Cường (kept its code) and Phường Sơn Nam.
    assert new_commune_of_centre("12322") == "12322"
    # Xã Lạc Đạo (11989) went into Đại Đồng and a new Xã Lạc Đạo (11992): the one of its name.
    assert new_commune_of_centre("11989") == "11992"
    assert Commune.objects.get(code="11989", valid_from__lt=REFORM).merged_into.code == "11992"
    assert "11989 Xã Lạc Đạo → 11992 Xã Lạc Đạo (same name, 2 parts)" in out


def test_the_hung_yen_file_and_the_national_file_cut_to_hung_yen_give_the_same_reform(hung_yen_units):
    run("import_commune_mapping", DATA / "commune_mapping_2025_hung_yen.csv")
    state = sorted(Centre.objects.values_list("commune__code", "commune__valid_from", "status", "merged_into_id"))
    assert "communes marked: 0, centres created: 0, centres merged: 0" in run(
        "import_commune_mapping", NATIONAL, "--province", "33"
    )
    assert (
        sorted(Centre.objects.values_list("commune__code", "commune__valid_from", "status", "merged_into_id")) == state
    )


def test_the_national_mapping_without_the_other_provinces_units_is_refused_in_one_line(hung_yen_units):
    with pytest.raises(CommandError) as error:
        run("import_commune_mapping", NATIONAL)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("Dòng 2, cột «old_ward_code»: không có xã mã 00001 (Phường Phúc Xá)")
    assert "(và 10169 dòng khác có xã chưa có trong danh mục)" in message
    assert (
        "import_admin_units units/data/gso_legacy_vn.csv; python manage.py import_admin_units units/data/gso_2025_vn.csv"
        in message
    )
    assert not Commune.objects.filter(valid_until__isnull=False).exists()  # all or nothing
    assert not Centre.objects.exclude(status="active").exists()


@pytest.mark.parametrize(
    ("code", "message"), [("99", "không có xã cũ nào chuyển về tỉnh mới mã 99"), ("3a", "--province phải là mã tỉnh")]
)
def test_a_province_not_in_the_file_is_named(hung_yen_units, code, message):
    with pytest.raises(CommandError, match=message):
        run("import_commune_mapping", NATIONAL, "--province", code)


def test_a_province_code_that_lost_its_zero_still_finds_the_province(db):
    run("import_admin_units", DATA / "gso_legacy_thai_binh.csv")
    with pytest.raises(CommandError, match="không có xã cũ nào chuyển về tỉnh mới mã 06"):
        run("import_commune_mapping", NATIONAL, "--province", "6")


# --- The rule for split communes, on a small reform -------------------------------------------------


@pytest.fixture
def small_reform(db):
    """Old province 34 (district 340: communes 00001–00004, each with a centre) and new province 33."""
    old = ProvinceFactory(code="34", name="Tỉnh Cũ")
    district = DistrictFactory(province=old, code="340", name="Huyện Cũ")
    names = {"00001": "Xã An Hòa", "00002": "Xã Bình Minh", "00003": "Xã Cao Sơn", "00004": "Xã Đông Lâm"}
    for code, name in names.items():
        CentreFactory(commune=CommuneFactory(district=district, code=code, name=name))
    new = ProvinceFactory(code="33", name="Tỉnh Mới", valid_from=REFORM)
    for code, name in {
        "00001": "Xã An Hòa",
        "10002": "Xã Phú Lộc",
        "10003": "Xã Hòa Bình",
        "10004": "Xã Bình Minh",
        "10005": "Xã Cao Phong",
        "10006": "Xã Sơn Thủy",
    }.items():
        Commune.objects.create(province=new, district=None, code=code, name=name, valid_from=REFORM)
    return old


def mapping_file(tmp_path, rows, *, marked: tuple[str, str] | None = None):
    """A national-layout file; `rows`: (old code, new code) in file order; `marked` gets receives_centre."""
    names = dict(Commune.objects.values_list("code", "name"))
    lines = [NATIONAL_HEADER + ",receives_centre"]
    for old, new in rows:
        mark = "x" if marked == (old, new) else ""
        lines.append(f"{old},{names[old]},340,Huyện Cũ,{new},{names[new]},34,Tỉnh Cũ,33,Tỉnh Mới,1,{mark}")
    path = tmp_path / "mapping.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


SPLITS = [
    ("00001", "10002"),
    ("00001", "00001"),  # kept the code, listed second
    ("00002", "10003"),
    ("00002", "10004"),  # Xã Bình Minh: the same name
    ("00003", "10005"),  # listed first
    ("00003", "10006"),
    ("00004", "10006"),
]


def centre_target(old_code: str) -> str:
    return Centre.objects.get(commune__code=old_code, commune__valid_from__lt=REFORM).merged_into.commune.code


def test_a_split_communes_centre_goes_to_the_commune_that_kept_its_code_else_its_name_else_the_first(
    small_reform, tmp_path
):
    out = run("import_commune_mapping", mapping_file(tmp_path, SPLITS))
    assert [centre_target(c) for c in ("00001", "00002", "00003", "00004")] == ["00001", "10004", "10005", "10006"]
    assert "that kept the code: 1, of the same name: 1, listed first: 1" in out
    # Each new commune has its centre, the ones that received no old centre too.
    assert Centre.objects.active().count() == 6
    assert Commune.objects.get(code="00003", valid_from__lt=REFORM).merged_into.code == "10005"


def test_the_province_overrides_the_rule_by_marking_a_row_and_a_rerun_moves_the_centre(small_reform, tmp_path):
    run("import_commune_mapping", mapping_file(tmp_path, SPLITS))
    assert centre_target("00003") == "10005"
    out = run("import_commune_mapping", mapping_file(tmp_path, SPLITS, marked=("00003", "10006")))
    assert "centre to the commune marked receives_centre: 1" in out
    assert "centres moved to the new centre the file names: 1" in out
    assert centre_target("00003") == "10006"
    assert Commune.objects.get(code="00003", valid_from__lt=REFORM).merged_into.code == "10006"
    assert "centres moved" not in run(
        "import_commune_mapping", mapping_file(tmp_path, SPLITS, marked=("00003", "10006"))
    )


def test_a_centre_an_official_merged_by_hand_is_left_where_they_put_it(small_reform, tmp_path):
    from centres.services import centres_merge

    by_hand = Centre.objects.get(commune__code="00004")
    centres_merge(sources=[by_hand], target=Centre.objects.get(commune__code="00002"), on_date=REFORM, by=None)
    run("import_commune_mapping", mapping_file(tmp_path, SPLITS))
    by_hand.refresh_from_db()
    assert by_hand.merged_into.commune.code == "00002"


def test_marking_two_rows_of_one_old_commune_is_refused(small_reform, tmp_path):
    path = mapping_file(tmp_path, SPLITS)
    text = path.read_text(encoding="utf-8").replace(
        "10005,Xã Cao Phong,34,Tỉnh Cũ,33,Tỉnh Mới,1,", "10005,Xã Cao Phong,34,Tỉnh Cũ,33,Tỉnh Mới,1,x"
    )
    text = text.replace(
        "10006,Xã Sơn Thủy,34,Tỉnh Cũ,33,Tỉnh Mới,1,\n00004", "10006,Xã Sơn Thủy,34,Tỉnh Cũ,33,Tỉnh Mới,1,x\n00004"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 7, cột «receives_centre»: xã 00003 đã được đánh dấu ở dòng 6"):
        run("import_commune_mapping", path)
    assert Centre.objects.active().count() == 4


def test_communes_the_file_does_not_name_keep_their_province_open_unless_ended(small_reform, tmp_path):
    rows = [("00001", "00001"), ("00002", "10004"), ("00003", "10005")]  # 00004 missing
    out = run("import_commune_mapping", mapping_file(tmp_path, rows))
    assert "communes not in the file: 1 in 1 provinces, left open with their centres" in out
    small_reform.refresh_from_db()
    assert small_reform.merged_into is None
    out = run("import_commune_mapping", mapping_file(tmp_path, rows), "--end-unmapped")
    assert "districts closed: 1, provinces merged: 1" in out
    small_reform.refresh_from_db()
    assert small_reform.merged_into.code == "33" and small_reform.valid_until == LAST_DAY
    ended = Commune.objects.get(code="00004")
    assert ended.valid_until == LAST_DAY and ended.merged_into is None
    # Its centre stays active, for the province to merge on the merge page.
    assert Centre.objects.get(commune=ended).is_active
    assert District.objects.get(code="340").valid_until == LAST_DAY


def test_the_six_column_thai_binh_file_takes_a_province_from_the_register(hung_yen_units):
    mapping = DATA / "commune_mapping_2025_thai_binh.csv"
    with pytest.raises(CommandError, match="không có xã cũ nào chuyển về tỉnh mới mã 01"):
        run("import_commune_mapping", mapping, "--province", "01")
    out = run("import_commune_mapping", mapping, "--province", "33")
    assert "old communes: 242, new communes: 65" in out
    assert "districts closed: 8, provinces merged: 1" in out
