"""The national lists import with the right counts, and a second import changes nothing (issue 13.2, 17.2).

One test per list imports the whole country (about 2 s for the legacy list on SQLite); the variants of a file
are proven on the Thái Bình list (test_import_variants.py)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from units.models import Commune, District, Province

DATA = Path(__file__).resolve().parents[2] / "units" / "data"
pytestmark = pytest.mark.django_db


def run(name: str) -> str:
    out = io.StringIO()
    call_command("import_admin_units", str(DATA / name), stdout=out)
    return out.getvalue()


def test_the_legacy_national_list_imports_every_province_district_and_commune():
    out = run("gso_legacy_vn.csv")
    # 691 districts: the five island districts without communes cannot be rows of a list of communes
    # (units/data/SOURCE.md).
    assert "provinces: 63, districts: 691, communes: 10051" in out
    assert "created: 10805, updated: 0" in out
    assert "communes by kind: Xã 7717, Phường 1716, Thị trấn 618" in out
    assert Province.objects.filter(valid_from=datetime.date(2000, 1, 1)).count() == 63
    assert District.objects.count() == 691
    assert Commune.objects.filter(district__isnull=False).count() == 10051
    by_province = dict(Commune.objects.values_list("province__code").annotate(n=Count("id")))
    assert by_province["34"] == 242 and by_province["01"] == 526  # Thái Bình, Hà Nội
    # Names as officials write them, whatever the source's capitalisation and tone placement.
    assert District.objects.get(code="058").name == "Thành phố Bắc Kạn"  # "Thành Phố Bắc Kạn" in the source
    assert Province.objects.get(code="17").name == "Tỉnh Hòa Bình"  # "Tỉnh Hoà Bình" in the source

    again = run("gso_legacy_vn.csv")
    assert "created: 0, updated: 0" in again
    assert Commune.objects.count() == 10051
    # The Thái Bình list is a cut of the national one: the same codes and list date, so the same units.
    ids = set(Commune.objects.filter(province__code="34").values_list("id", flat=True))
    assert "created: 0, updated: 0" in run("gso_legacy_thai_binh.csv")
    assert set(Commune.objects.filter(province__code="34").values_list("id", flat=True)) == ids


def test_the_2025_national_list_imports_34_provinces_and_3321_communes_with_the_special_zones():
    out = run("gso_2025_vn.csv")
    assert "provinces: 34, districts: 0, communes: 3321" in out
    assert "communes by kind: Xã 2621, Phường 687, Đặc khu 13" in out
    assert Commune.objects.filter(valid_from=datetime.date(2025, 7, 1), district__isnull=True).count() == 3321
    con_dao = Commune.objects.get(code="26732")
    assert (con_dao.name, con_dao.kind, con_dao.province.code) == ("Đặc khu Côn Đảo", Commune.Kind.DAC_KHU, "79")
    assert con_dao.short_name == "Côn Đảo"
    assert Commune.objects.get(code="06325").name == "Xã Bắc Sơn"  # "xã Bắc Sơn" in the source
    assert "created: 0, updated: 0" in run("gso_2025_vn.csv")
