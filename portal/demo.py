"""The demo accounts: one per role, each tied to a unit of the demo province (seed_demo's fourth step).

They live here, in the top layer, because an account of centre staff needs a centre: accounts sits below
centres (docs/architecture.md, "Layers")."""

from django.conf import settings

from accounts.demo import DEMO_COMMUNE_CODE, DEMO_DISTRICT_CODE, cluster_name_for, demo_province
from accounts.models import Office, User
from centres.models import Centre
from units.models import REFORM_DATE, District

DEMO_ACCOUNTS = [
    ("demo_tinh", "chuyên viên Sở GD&ĐT Hưng Yên (cả tỉnh, cùng lịch sử của Thái Bình và Hưng Yên cũ)"),
    ("demo_huyen", "chuyên viên đánh giá của Cụm Đông Hưng (các xã mới từ huyện Đông Hưng cũ)"),
    ("demo_xa", "cán bộ TTHTCĐ xã Bắc Đông Hưng (nhận trung tâm của xã Đông Phương cũ)"),
    ("demo_bo", "chuyên viên Vụ Giáo dục thường xuyên, Bộ GD&ĐT (mọi tỉnh đã nạp, chỉ xem)"),
    ("demo_admin", "quản trị hệ thống"),
]


def seed_users(*, rng, log) -> None:
    if not settings.DEBUG:
        log("  DJANGO_DEBUG=0: demo accounts are not created.")
        return
    province = demo_province()
    district = District.objects.get(code=DEMO_DISTRICT_CODE, valid_from__lt=REFORM_DATE)
    office = Office.objects.get(province=province, name=cluster_name_for(district))
    # The new centre that took in the former Xã Đông Phương's.
    centre = Centre.objects.get(
        predecessors__commune__code=DEMO_COMMUNE_CODE,
        predecessors__commune__valid_from__lt=REFORM_DATE,
        status=Centre.Status.ACTIVE,
    )
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
            position="Chuyên viên Sở GD&ĐT, phụ trách cụm Đông Hưng",
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
            username="demo_bo",
            first_name="Minh",
            last_name="Lê Quang",
            role=User.Role.MINISTRY,
            position="Chuyên viên Vụ Giáo dục thường xuyên, Bộ GD&ĐT",
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


def seed_library_and_resources(*, rng, log) -> None:
    """Libraries with their monthly readers, and contributions with the equipment they brought (seed_demo's last
    step: the earlier steps' random draws stay as they were)."""
    from library import demo as library_demo
    from resources import demo as resources_demo

    library_demo.seed(rng=rng, log=log)
    resources_demo.seed(rng=rng, log=log)
