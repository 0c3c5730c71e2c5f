"""The demo province's reviewing offices (seed_demo's second step). The demo accounts, which need a centre,
are made by portal.demo.seed_users.

Before 01/07/2025 each district's Phòng GD&ĐT reviewed its communes' centres. The districts ended with the
reform, so today's Hưng Yên reviews its 104 new centres through one cluster office per former district's area
("Cụm Đông Hưng (khu vực huyện Đông Hưng cũ)", kind CLUSTER) and the Sở; which cluster reviews a new centre is
decided by centres.demo (the former district most of its communes came from)."""

from accounts.models import Office
from units.models import REFORM_DATE as REFORM_DAY
from units.models import District, Province

DEMO_PROVINCE_CODE = "33"  # Tỉnh Hưng Yên (from 01/07/2025; code 33 is also the former Hưng Yên)
DEMO_DISTRICT_CODE = "340"  # former Huyện Đông Hưng (Thái Bình), whose area demo_huyen's cluster reviews
DEMO_COMMUNE_CODE = "12694"  # former Xã Đông Phương; the new Xã Bắc Đông Hưng kept its code (demo_xa)
DEPARTMENT_NAME = "Sở GD&ĐT Hưng Yên"


def demo_province() -> Province:
    """Today's Tỉnh Hưng Yên (the unit of the 2025 list, not the former province of the same code)."""
    return Province.objects.get(code=DEMO_PROVINCE_CODE, valid_from__gte=REFORM_DAY)


def office_name_for(district: District) -> str:
    kind = district.get_kind_display().lower()
    short = district.name.split(" ", len(district.get_kind_display().split()))[-1]
    return f"Phòng GD&ĐT {kind} {short}"


def cluster_name_for(district: District) -> str:
    kind = district.get_kind_display().lower()
    short = district.name.split(" ", len(district.get_kind_display().split()))[-1]
    return f"Cụm {short} (khu vực {kind} {short} cũ)"


def seed_offices(*, rng, log) -> None:
    """One office per former district (its former province's), the Sở of today's Hưng Yên, and one cluster
    office of today's Hưng Yên per former district's area."""
    province = demo_province()
    districts = list(District.objects.filter(valid_from__lt=REFORM_DAY).order_by("code"))
    offices = [
        Office(province_id=d.province_id, name=office_name_for(d), kind=Office.Kind.DISTRICT, district=d)
        for d in districts
    ]
    offices.append(Office(province=province, name=DEPARTMENT_NAME, kind=Office.Kind.DEPARTMENT))
    offices += [Office(province=province, name=cluster_name_for(d), kind=Office.Kind.CLUSTER) for d in districts]
    Office.objects.bulk_create(offices)
    log(f"  offices: {len(offices)}")
