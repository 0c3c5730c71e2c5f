"""Pickers of units and centres are in Vietnamese order: "Huyện Đông Hưng" before "Huyện Vũ Thư"."""

from django.urls import reverse

from tests.factories import CentreFactory, CommuneFactory, DistrictFactory


def test_the_district_filter_of_the_centre_list_is_in_vietnamese_order(client_for, world):
    # Code order would put Vũ Thư (339) first, code-point order Đông Hưng last.
    vu_thu = DistrictFactory(province=world.province, code="339", name="Huyện Vũ Thư")
    CentreFactory(commune=CommuneFactory(district=vu_thu, code="12988", name="Xã Vũ Hội"))
    page = client_for(world.official).get(reverse("centres:list")).content.decode()
    at = [page.index(f">{name}</option>") for name in ("Huyện Đông Hưng", "Huyện Thái Thụy", "Huyện Vũ Thư")]
    assert at == sorted(at)


def test_the_commune_picker_of_a_new_centre_is_in_vietnamese_order(client_for, world):
    for code, name in (
        ("12701", "Xã Vũ Lạc"),
        ("12702", "Xã Đông Sơn"),
        ("12703", "Xã Dương Phúc"),
        ("12704", "Xã Ân Thi"),
    ):
        CommuneFactory(district=world.district_x, code=code, name=name)
    page = client_for(world.official).get(reverse("centres:create")).content.decode()
    at = [page.index(f">{name}</option>") for name in ("Xã Ân Thi", "Xã Dương Phúc", "Xã Đông Sơn", "Xã Vũ Lạc")]
    assert at == sorted(at)


def test_an_outsider_cannot_open_the_new_centre_picker(client_for, world):
    assert client_for(world.reviewer_x).get(reverse("centres:create")).status_code == 403
