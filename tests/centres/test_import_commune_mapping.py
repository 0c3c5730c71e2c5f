import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Office, User
from centres.models import BoardMember, Centre
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from units.models import REFORM_DATE, Commune, District, Province

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "units" / "data"
MAPPING = DATA / "commune_mapping_2025_thai_binh.csv"
HEADER = "old_ward_code,old_ward_name,old_district_code,old_district_name,new_ward_code,new_ward_name\n"


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out)
    return out.getvalue()


def thai_binh_before_the_reform(*, with_new_communes: bool) -> None:
    """Former Thái Bình only, before the reform: the demo's centres step without its own reform step (the demo is
    today's Hưng Yên, with both former provinces already merged; these tests apply the Thái Bình file themselves)."""
    import random

    from accounts import demo as accounts_demo
    from centres import demo as centres_demo
    from units import demo as units_demo

    rng = random.Random(1)
    run("import_admin_units", units_demo.LEGACY_THAI_BINH)
    run("import_admin_units", units_demo.HUNG_YEN_2025)
    accounts_demo.seed_offices(rng=rng, log=lambda *_: None)
    reform, centres_demo._seed_reform = centres_demo._seed_reform, lambda *args, **kwargs: None
    try:
        centres_demo.seed(rng=rng, log=lambda *_: None)
    finally:
        centres_demo._seed_reform = reform
    if not with_new_communes:
        Commune.objects.filter(valid_from__gte=REFORM_DATE).delete()


@pytest.fixture
def thai_binh(db):
    """The legacy list with a centre per commune (the demo's step) and the 2-tier Hưng Yên list."""
    thai_binh_before_the_reform(with_new_communes=True)


def test_the_real_mapping_merges_242_old_centres_into_65_new_ones(thai_binh):
    out = run("import_commune_mapping", MAPPING)
    assert "old communes: 242, new communes: 65" in out
    assert "communes marked: 242, centres created: 65, centres merged: 242" in out
    assert Centre.objects.filter(status="merged", status_date=REFORM_DATE).count() == 242
    assert Centre.objects.active().count() == 65
    old = Commune.objects.get(code="12694", valid_from=datetime.date(2000, 1, 1))
    assert old.valid_until == REFORM_DATE - datetime.timedelta(days=1)
    assert old.merged_into.valid_from == REFORM_DATE and old.merged_into.district is None
    # Xã Đông Phương's centre points to the centre of its new commune, which lists it as a predecessor.
    centre = Centre.objects.get(commune=old)
    assert centre.merged_into.commune == old.merged_into
    assert centre in centre.merged_into.predecessors.all()
    assert centre.merged_into.review_office == Office.objects.get(kind=Office.Kind.DEPARTMENT)
    # History is not moved: the old centre keeps its board under its old district.
    assert BoardMember.objects.filter(centre=centre).exists()
    assert centre.commune.district.code == "340"
    assert not BoardMember.objects.filter(centre=centre.merged_into).exists()


def test_importing_twice_changes_nothing(thai_binh):
    run("import_commune_mapping", MAPPING)
    before = list(Centre.objects.values_list("id", "status", "merged_into_id").order_by("id"))
    out = run("import_commune_mapping", MAPPING)
    assert "communes marked: 0, centres created: 0, centres merged: 0" in out
    assert list(Centre.objects.values_list("id", "status", "merged_into_id").order_by("id")) == before


def test_without_the_new_communes_it_says_which_code_is_missing_and_writes_nothing(db):
    thai_binh_before_the_reform(with_new_communes=False)
    with pytest.raises(CommandError, match=r"Dòng 2, cột «new_ward_code»: chưa có xã mới mã 13225.*import_admin_units"):
        run("import_commune_mapping", MAPPING)
    assert not Centre.objects.exclude(status="active").exists()
    assert not Commune.objects.filter(valid_until__isnull=False).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "12694,Xã Đông Phương,340,Huyện Đông Hưng,126945,Xã Mới\n",
            "Dòng 2, cột «new_ward_code»: mã phải gồm đúng 5 chữ số",
        ),
        ("12694,,340,Huyện Đông Hưng,12694,Xã Mới\n", "Dòng 2, cột «old_ward_name»: không được để trống"),
    ],
)
def test_bad_rows_are_named_by_row_and_column(tmp_path, db, body, message):
    path = tmp_path / "mapping.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("import_commune_mapping", path)


def test_a_wrong_header_is_refused(tmp_path, db):
    path = tmp_path / "mapping.csv"
    path.write_text("ma_cu,ma_moi\n12694,12694\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng tiêu đề không đúng mẫu"):
        run("import_commune_mapping", path)


def test_an_old_code_missing_from_the_register_stops_everything(thai_binh, tmp_path):
    lines = MAPPING.read_text(encoding="utf-8-sig").splitlines()
    lines.append("99999,Xã Không Có,340,Huyện Đông Hưng,13225,Phường Thái Bình")
    path = tmp_path / "mapping.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Dòng 244, cột «old_ward_code»: không có xã mã 99999"):
        run("import_commune_mapping", path)
    assert Centre.objects.active().count() == 242  # all or nothing


def test_a_director_stays_with_the_old_centre_and_leaves_office_with_it(thai_binh):
    centre = Centre.objects.get(commune__code="12694")
    director = BoardMember.objects.get(centre=centre, position="giam_doc", term_end__isnull=True)
    run("import_commune_mapping", MAPPING)
    director.refresh_from_db()
    assert director.centre_id == centre.pk and director.term_end == REFORM_DATE - datetime.timedelta(days=1)
    # A second run changes nothing (no second history row).
    changes = director.history.count()
    run("import_commune_mapping", MAPPING)
    assert director.history.count() == changes


# --- Closing the old districts and province ---------------------------------------------------------


def test_the_real_mapping_closes_the_eight_districts_and_merges_thai_binh_into_hung_yen(thai_binh):
    out = run("import_commune_mapping", MAPPING)
    assert "districts closed: 8, provinces merged: 1" in out
    thai_binh = Province.objects.get(code="34", valid_from=datetime.date(2000, 1, 1))
    hung_yen = Province.objects.get(code="33", valid_from=REFORM_DATE)
    assert thai_binh.merged_into == hung_yen and thai_binh.valid_until == REFORM_DATE - datetime.timedelta(days=1)
    assert set(District.objects.filter(province=thai_binh).values_list("valid_until", flat=True)) == {
        REFORM_DATE - datetime.timedelta(days=1)
    }
    # A provincial official of the new Hưng Yên now sees the old Thái Bình centres (and their history).
    official = UserFactory(role=User.Role.PROVINCE, province=hung_yen)
    old_centre = Centre.objects.get(commune__code="12694", status="merged")
    assert Centre.objects.visible_to(official).filter(pk=old_centre.pk).exists()
    assert "districts closed: 0, provinces merged: 0" in run("import_commune_mapping", MAPPING)


def _small_reform(tmp_path, rows):
    """Old province 34 with districts D1 (communes 00001, 00002) and D2 (00003); new provinces 33 and 35 with
    2-tier communes 10001 (in 33) and 10002 (in 35). `rows`: (old code, new code) pairs of the mapping file."""
    reform = REFORM_DATE
    old = ProvinceFactory(code="34", name="Tỉnh Cũ")
    d1 = DistrictFactory(province=old, code="340")
    d2 = DistrictFactory(province=old, code="341")
    for code, district in (("00001", d1), ("00002", d1), ("00003", d2)):
        CentreFactory(commune=CommuneFactory(district=district, code=code))
    for code, province_code in (("10001", "33"), ("10002", "35")):
        province = ProvinceFactory(code=province_code, valid_from=reform)
        Commune.objects.create(province=province, district=None, code=code, name=f"Xã {code}", valid_from=reform)
    path = tmp_path / "mapping.csv"
    path.write_text(HEADER + "".join(f"{o},Xã {o},340,Huyện,{n},Xã {n}\n" for o, n in rows), encoding="utf-8")
    run("import_commune_mapping", path)
    old.refresh_from_db()
    d1.refresh_from_db()
    d2.refresh_from_db()
    return old, d1, d2


def test_a_partly_mapped_province_stays_open_and_only_its_ended_district_closes(tmp_path, db):
    old, d1, d2 = _small_reform(tmp_path, [("00001", "10001"), ("00002", "10001")])
    assert d1.valid_until == REFORM_DATE - datetime.timedelta(days=1)
    assert d2.valid_until is None  # 00003 still runs
    assert old.merged_into is None and old.valid_until is None


def test_a_province_split_between_two_new_provinces_is_not_merged_into_either(tmp_path, db):
    old, d1, d2 = _small_reform(tmp_path, [("00001", "10001"), ("00002", "10001"), ("00003", "10002")])
    assert d1.valid_until == d2.valid_until == REFORM_DATE - datetime.timedelta(days=1)
    assert old.merged_into is None and old.valid_until is None


def test_a_province_wholly_mapped_into_one_new_province_is_merged(tmp_path, db):
    old, _d1, _d2 = _small_reform(tmp_path, [("00001", "10001"), ("00002", "10001"), ("00003", "10001")])
    assert old.merged_into.code == "33" and old.valid_until == REFORM_DATE - datetime.timedelta(days=1)
