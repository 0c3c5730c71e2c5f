"""Writes of the learning materials: keyword-only, each in one transaction, refusing with a Vietnamese message.

A document must be one of the accepted types — checked by its name AND its first bytes, so a renamed executable
is refused — and within MAX_UPLOAD_BYTES; a link must be http(s). The Sở's uploads are published at once; a
centre's wait for approval. Who may call what is decided by the views through accounts.scoping."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from materials.models import CourseMaterial, Material

if TYPE_CHECKING:
    from accounts.models import User
    from centres.models import Centre
    from courses.models import Course
    from units.models import Province

# Accepted documents: suffix → the signatures their first bytes may start with.
ZIP = (b"PK\x03\x04",)  # docx, pptx (Office Open XML)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # doc, ppt (Office 97–2003)
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": ZIP,
    ".pptx": ZIP,
    ".doc": OLE,
    ".ppt": OLE,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".ppt": "application/vnd.ms-powerpoint",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
FIELDS = ("title", "programme_kind", "topic", "audience", "author", "issued_on")


def check_document(uploaded) -> str:
    """The cleaned file name of an acceptable document, else a ValidationError saying why."""
    if uploaded.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
                % {"size": round(uploaded.size / 1048576, 1), "limit": round(settings.MAX_UPLOAD_BYTES / 1048576, 1)}
            }
        )
    name = PurePath(uploaded.name).name[:255]
    suffix = PurePath(name).suffix.lower()
    accepted = _("Chỉ nhận tệp PDF, Word (.doc, .docx), PowerPoint (.ppt, .pptx) hoặc ảnh JPG/PNG.")
    if suffix not in SIGNATURES:
        raise ValidationError({"file": accepted})
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[suffix]):
        raise ValidationError({"file": _("Nội dung tệp không đúng định dạng %(suffix)s.") % {"suffix": suffix}})
    return name


@transaction.atomic
def material_upload(
    *, province: Province, centre: Centre | None, by: User, uploaded=None, url: str = "", **fields
) -> Material:
    """A document (`uploaded`) or a link (`url`). `centre` None: the Sở's, published at once; else pending."""
    material = Material(
        province=province,
        centre=centre,
        uploaded_by=by,
        status=Material.Status.PENDING if centre else Material.Status.PUBLISHED,
        **{f: fields[f] for f in FIELDS if f in fields},
    )
    if centre is not None and not centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    if bool(uploaded) == bool(url):
        raise ValidationError(_("Chọn một tệp tài liệu hoặc nhập một liên kết (không cả hai)."))
    if uploaded:
        material.kind = Material.Kind.FILE
        material.file_name = check_document(uploaded)
        material.size = uploaded.size
        material.file.save(material.file_name, uploaded, save=False)
    else:
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": _("Liên kết phải bắt đầu bằng http:// hoặc https://.")})
        material.kind = Material.Kind.LINK
        material.url = url
    if centre is None:
        material.reviewed_by, material.reviewed_at = by, timezone.now()
    material.save()
    return material


def _pending(material: Material) -> Material:
    locked = Material.objects.select_for_update().get(pk=material.pk)
    if locked.status != Material.Status.PENDING:
        raise ValidationError(_("Học liệu này đã được duyệt hoặc từ chối."))
    return locked


@transaction.atomic
def material_approve(*, material: Material, by: User) -> Material:
    locked = _pending(material)
    locked.status, locked.reviewed_by, locked.reviewed_at, locked.reject_reason = (
        Material.Status.PUBLISHED,
        by,
        timezone.now(),
        "",
    )
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason"])
    return locked


@transaction.atomic
def material_reject(*, material: Material, by: User, reason: str) -> Material:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do không duyệt để trung tâm biết cần sửa gì.")})
    locked = _pending(material)
    locked.status, locked.reviewed_by, locked.reviewed_at, locked.reject_reason = (
        Material.Status.REJECTED,
        by,
        timezone.now(),
        reason[:500],
    )
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason"])
    return locked


@transaction.atomic
def course_material_add(*, course: Course, material: Material, by: User) -> CourseMaterial:
    if material.status != Material.Status.PUBLISHED:
        raise ValidationError(_("Chỉ thêm được học liệu đã đăng."))
    if not course.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    if CourseMaterial.objects.filter(course=course, material=material).exists():
        raise ValidationError(_("Lớp đã có học liệu này."))
    return CourseMaterial.objects.create(course=course, material=material, added_by=by)


@transaction.atomic
def course_material_remove(*, use: CourseMaterial, by: User) -> None:
    if not use.course.centre.is_active:
        raise ValidationError(_("Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem."))
    use.delete()
