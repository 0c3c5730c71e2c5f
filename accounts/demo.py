"""The demo province's reviewing offices (seed_demo's second step). The demo accounts, which need a centre,
are made by portal.demo.seed_users."""

from accounts.models import Office
from units.models import District, Province

DEMO_PROVINCE_CODE = "34"  # Tỉnh Thái Bình
DEMO_DISTRICT_CODE = "340"  # Huyện Đông Hưng
DEMO_COMMUNE_CODE = "12694"  # Xã Đông Phương, Huyện Đông Hưng


def office_name_for(district: District) -> str:
    kind = district.get_kind_display().lower()
    short = district.name.split(" ", len(district.get_kind_display().split()))[-1]
    return f"Phòng GD&ĐT {kind} {short}"


def seed_offices(*, rng, log) -> None:
    """One reviewing office per district, and the Sở, which reviews centres of the new 2-tier communes."""
    province = Province.objects.get(code=DEMO_PROVINCE_CODE)
    offices = [
        Office(province=province, name=office_name_for(d), kind=Office.Kind.DISTRICT, district=d)
        for d in District.objects.filter(province=province).order_by("code")
    ]
    offices.append(Office(province=province, name="Sở GD&ĐT Thái Bình", kind=Office.Kind.DEPARTMENT))
    Office.objects.bulk_create(offices)
    log(f"  offices: {len(offices)}")
