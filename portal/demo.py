"""The demo accounts: one per role, each tied to a unit of the demo province (seed_demo's fourth step).

They live here, in the top layer, because an account of centre staff needs a centre: accounts sits below
centres (docs/architecture.md, "Layers")."""

from django.conf import settings

from accounts.demo import DEMO_COMMUNE_CODE, DEMO_DISTRICT_CODE, DEMO_PROVINCE_CODE
from accounts.models import Office, User
from centres.models import Centre
from units.models import Province

DEMO_ACCOUNTS = [
    ("demo_tinh", "chuyên viên Sở GD&ĐT Thái Bình (cả tỉnh)"),
    ("demo_huyen", "chuyên viên Phòng GD&ĐT huyện Đông Hưng"),
    ("demo_xa", "cán bộ TTHTCĐ xã Đông Phương, huyện Đông Hưng"),
    ("demo_admin", "quản trị hệ thống"),
]


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
        # An address on a reserved domain, so `manage.py send_digests --dry-run` shows each role's digest.
        fields.setdefault("email", f"{fields['username']}@tthtcd.example")
        user = User(**fields)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    log(f"  users: {len(people)}")
