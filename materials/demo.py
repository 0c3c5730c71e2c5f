"""Demo learning materials (seed_demo, after the accounts): a few of the Sở's documents and links, one centre
upload published and one waiting for approval. Files are tiny generated PDFs: well under a second."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DEMO_COMMUNE_CODE, demo_province
from accounts.models import User
from centres.models import Centre
from courses.models import ProgrammeKind
from materials.models import Material

# (title, programme kind code, topic, audience, author, link or None)
ITEMS = [
    (
        "Kỹ thuật thâm canh lúa chất lượng cao",
        "khuyen-nong",
        "trồng lúa",
        "learners",
        "Trung tâm Khuyến nông tỉnh",
        None,
    ),
    (
        "Phòng chống bệnh dịch tả lợn châu Phi",
        "khuyen-nong",
        "chăn nuôi, thú y",
        "learners",
        "Chi cục Chăn nuôi và Thú y",
        "https://www.youtube.com/watch?v=dtlcp-demo",
    ),
    ("Luật Đất đai 2024: những điểm mới", "phap-luat", "pháp luật đất đai", "learners", "Sở Tư pháp", None),
    ("Sổ tay Giám đốc TTHTCĐ", "khac", "quản lý trung tâm", "managers", "Sở GD&ĐT", None),
    ("Phương pháp dạy học cho người lớn", "khac", "phương pháp giảng dạy", "instructors", "Hội Khuyến học tỉnh", None),
]


def _pdf(title: str) -> bytes:
    return f"%PDF-1.4\n% {title}\n%%EOF\n".encode()


def _kind(code: str) -> ProgrammeKind:
    return ProgrammeKind.objects.filter(code=code).first() or ProgrammeKind.objects.order_by("order").first()


def seed(*, rng, log) -> None:
    province = demo_province()
    official = User.objects.filter(role=User.Role.PROVINCE, province=province).order_by("id").first()
    staff = (
        User.objects.filter(role=User.Role.CENTRE_STAFF, username="demo_xa").first()
        or User.objects.filter(role=User.Role.CENTRE_STAFF, centre__commune__code=DEMO_COMMUNE_CODE).first()
    )
    if official is None or staff is None:
        log("  materials: no demo accounts, no demo materials.")
        return
    centre = Centre.objects.get(pk=staff.centre_id)
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    for n, (title, code, topic, audience, author, link) in enumerate(ITEMS):
        _add(
            province=province,
            centre=None,
            by=official,
            title=title,
            kind=_kind(code),
            topic=topic,
            audience=audience,
            author=author,
            issued_on=today - datetime.timedelta(days=40 * (n + 1)),
            link=link,
            status=Material.Status.PUBLISHED,
            reviewed=(official, now),
        )
        made += 1
    _add(
        province=province,
        centre=centre,
        by=staff,
        title="Kinh nghiệm tổ chức lớp xóa mù chữ ở xã Đông Phương",
        kind=_kind("xoa-mu-chu"),
        topic="xóa mù chữ",
        audience="instructors",
        author="TTHTCĐ xã Đông Phương",
        issued_on=today - datetime.timedelta(days=90),
        link=None,
        status=Material.Status.PUBLISHED,
        reviewed=(official, now),
    )
    _add(
        province=province,
        centre=centre,
        by=staff,
        title="Bài giảng an toàn giao thông cho người cao tuổi",
        kind=_kind("phap-luat"),
        topic="an toàn giao thông",
        audience="learners",
        author="TTHTCĐ xã Đông Phương",
        issued_on=today - datetime.timedelta(days=5),
        link=None,
        status=Material.Status.PENDING,
        reviewed=(None, None),
    )
    log(f"  materials: {made + 2} (1 waiting for approval)")


def _add(*, province, centre, by, title, kind, topic, audience, author, issued_on, link, status, reviewed) -> None:
    item = Material(
        province=province,
        centre=centre,
        uploaded_by=by,
        title=title,
        programme_kind=kind,
        topic=topic,
        audience=audience,
        author=author,
        issued_on=issued_on,
        status=status,
        reviewed_by=reviewed[0],
        reviewed_at=reviewed[1],
    )
    if link:
        item.kind, item.url = Material.Kind.LINK, link
    else:
        content = _pdf(title)
        item.kind, item.file_name, item.size = Material.Kind.FILE, f"hoc-lieu-{issued_on:%Y%m%d}.pdf", len(content)
        item.file.save(item.file_name, ContentFile(content), save=False)
    item.save()
