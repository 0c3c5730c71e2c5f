import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from units.models import Commune, District, Province

DATA = Path(__file__).resolve().parents[2] / "units" / "data"
HEADER = "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh\r\n"


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_admin_units", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path, body: str, name="list.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8-sig")
    return path


@pytest.mark.django_db
def test_thai_binh_list_prints_the_counts_in_the_file():
    out = run(DATA / "gso_legacy_thai_binh.csv")
    assert "provinces: 1, districts: 8, communes: 242" in out
    assert "created: 251, updated: 0" in out
    assert Commune.objects.filter(district__code="340").count() == 32
    # Leading zeros and diacritics survive.
    assert Commune.objects.get(code="12694").name == "Xã Đông Phương"


@pytest.mark.django_db
def test_importing_twice_changes_nothing():
    run(DATA / "gso_legacy_thai_binh.csv")
    before = list(Commune.objects.values_list("id", "code", "name", "district_id").order_by("id"))
    out = run(DATA / "gso_legacy_thai_binh.csv")
    assert "created: 0, updated: 0" in out
    assert list(Commune.objects.values_list("id", "code", "name", "district_id").order_by("id")) == before


@pytest.mark.django_db
def test_xlsx_gives_the_same_units_as_csv(tmp_path):
    out = run(DATA / "gso_2025_hung_yen.xlsx")
    assert "provinces: 1, districts: 0, communes: 104" in out
    assert District.objects.count() == 0
    assert Commune.objects.filter(valid_from="2025-07-01", district__isnull=True).count() == 104


@pytest.mark.django_db
def test_a_province_never_seen_before_is_imported_with_its_counts(tmp_path):
    path = write(
        tmp_path,
        "Thành phố Đà Nẵng,48,Quận Hải Châu,492,Phường Thạch Thang,20194,Phường,\r\n"
        "Thành phố Đà Nẵng,48,Quận Hải Châu,492,Phường Hải Châu I,20197,Phường,\r\n"
        "Thành phố Đà Nẵng,48,Huyện Hòa Vang,497,Xã Hòa Bắc,20308,Xã,\r\n",
    )
    out = run(path)
    assert "provinces: 1, districts: 2, communes: 3" in out
    province = Province.objects.get(code="48")
    assert province.kind == Province.Kind.THANH_PHO
    assert District.objects.get(code="492").kind == District.Kind.QUAN


@pytest.mark.django_db
def test_a_renamed_commune_is_updated_not_duplicated(tmp_path):
    run(write(tmp_path, "Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã Đông Phương,12694,Xã,\r\n"))
    out = run(write(tmp_path, "Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã Đông Phương Mới,12694,Xã,\r\n"))
    assert "created: 0, updated: 1" in out
    assert Commune.objects.get(code="12694").name == "Xã Đông Phương Mới"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã A,12A94,Xã,\r\n", "Dòng 2, cột «Mã PX»"),
        ("Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã A,12694,Làng,\r\n", "Dòng 2, cột «Cấp»"),
        (
            "Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã A,12694,Xã,\r\nTỉnh Thái Bình,34,,,Xã B,12697,Xã,\r\n"
            "Tỉnh Thái Bình,34,Huyện Đông Hưng,,Xã C,12698,Xã,\r\n",
            "Dòng 4, cột «Mã QH»",
        ),
        (
            "Tỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã A,12694,Xã,\r\nTỉnh Thái Bình,34,Huyện Đông Hưng,340,Xã B,12694,Xã,\r\n",
            "Dòng 3, cột «Mã PX»: mã 12694 bị trùng",
        ),
    ],
)
def test_a_bad_row_names_its_row_and_column_and_writes_nothing(tmp_path, body, message):
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, body))
    assert message in str(error.value)
    assert not Province.objects.exists()
    assert not Commune.objects.exists()


@pytest.mark.django_db
def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Tinh,Ma\r\nThái Bình,34\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng tiêu đề không đúng mẫu"):
        run(path)
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"%PDF-1.4 not a spreadsheet")
    with pytest.raises(CommandError, match="không phải là bảng tính Excel"):
        run(path)
