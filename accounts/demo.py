from django.conf import settings

from accounts.models import Office, User
from centres.models import Centre
from units.models import District, Province

DEMO_PROVINCE_CODE = "34"  # Tỉnh Thái Bình
DEMO_DISTRICT_CODE = "340"  # Huyện Đông Hưng
DEMO_COMMUNE_CODE = "12694"  # Xã Đông Phương, Huyện Đông Hưng

DEMO_ACCOUNTS = [
    ("demo_tinh", "chuyên viên Sở GD&ĐT Thái Bình (cả tỉnh)"),
    ("demo_huyen", "chuyên viên Phòng GD&ĐT huyện Đông Hưng"),
    ("demo_xa", "cán bộ TTHTCĐ xã Đông Phương, huyện Đông Hưng"),
    ("demo_admin", "quản trị hệ thống"),
]


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


def seed_users(*, rng, log) -> None:
    if not settings.DEBUG:
        log("  DJANGO_DEBUG=0: demo accounts are not created.")
        return
    province = Province.objects.get(code=DEMO_PROVINCE_CODE)
    office = Office.objects.get(district__code=DEMO_DISTRICT_CODE)
    centre = Centre.objects.get(commune__code=DEMO_COMMUNE_CODE, status=Centre.Status.ACTIVE)
    people = [
        dict(
            username="demo_tinh",
            first_name="Lan",
            last_name="Nguyễn Thị",
            role=User.Role.PROVINCE,
            province=province,
            position="Chuyên viên Phòng GDTX, Sở GD&ĐT",
        ),
        dict(
            username="demo_huyen",
            first_name="Hùng",
            last_name="Trần Văn",
            role=User.Role.REVIEWER,
            office=office,
            position="Chuyên viên Phòng GD&ĐT",
        ),
        dict(
            username="demo_xa",
            first_name="Mai",
            last_name="Phạm Thị",
            role=User.Role.CENTRE_STAFF,
            centre=centre,
            position="Phó Giám đốc TTHTCĐ",
        ),
        dict(
            username="demo_admin",
            first_name="Quản trị",
            last_name="",
            role=User.Role.ADMIN,
            is_staff=True,
            is_superuser=True,
        ),
    ]
    for fields in people:
        user = User(**fields)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    log(f"  users: {len(people)}")
