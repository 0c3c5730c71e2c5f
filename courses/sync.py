"""The offline sync API's writes: entries recorded on a phone with no network, sent when it returns.

Each entry carries an idempotency key (a UUID the phone made when the entry was saved on it). The server records
an entry at most once: the key is unique (`SyncedEntry`, constraint `synced_entry_key_unique`), saved in the same
transaction as the session it wrote, and a key seen before gets the answer stored with it — whatever the number of
retries, or a connection cut after the server saved. An entry goes through the same services as a form post
(`class_session_create`, `class_session_update`, `attendance_save`: scoping, locked years, merged centres, counts,
class dates, figure bookkeeping). A refusal writes nothing and comes back with the Vietnamese reason; a session
changed on the server since the phone saw it comes back as a conflict, with the server's version, for the user to
settle (keep theirs: resend with that version; or drop theirs).

Entry (JSON object):
    key          UUID, required
    kind         "session" (a talk's head counts) or "attendance" (a roster class: who was there)
    course       the class id
    date         "YYYY-MM-DD"
    topic, instructor (id or null), instructor_name
    present, women, minorities   (kind "session")
    attended     list of enrolment ids present (kind "attendance")
    session, base                optional: change that existing session, last seen at version `base`
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import scoping
from centres.models import Instructor
from courses import services
from courses.models import Attendance, ClassSession, Course, SyncedEntry
from courses.selectors import session_version

MAX_ENTRIES = 200
MAX_ATTENDED = 2000


@dataclass
class SyncEntry:
    key: uuid.UUID
    kind: str
    course: int
    date: datetime.date
    topic: str = ""
    instructor: int | None = None
    instructor_name: str = ""
    present: int = 0
    women: int = 0
    minorities: int = 0
    attended: set[int] = field(default_factory=set)
    session: int | None = None
    base: str = ""


# --- Parsing: any JSON gives entries or Vietnamese reasons, never an exception ---------------------------------


def _int(raw, *, label: str, minimum: int = 0, maximum: int = 1_000_000, optional: bool = False) -> int | None:
    if raw is None and optional:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise ValidationError(_("«%(label)s» phải là một số.") % {"label": label})
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(_("«%(label)s» phải là một số.") % {"label": label}) from None
    if not minimum <= value <= maximum:
        raise ValidationError(
            _("«%(label)s» phải từ %(min)s đến %(max)s.") % {"label": label, "min": minimum, "max": maximum}
        )
    return value


def _text(raw, *, label: str, max_length: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError(_("«%(label)s» phải là chữ.") % {"label": label})
    value = raw.strip().replace("\x00", "")
    if len(value) > max_length:
        raise ValidationError(_("«%(label)s» dài quá %(n)s ký tự.") % {"label": label, "n": max_length})
    return value


def entry_key(raw) -> uuid.UUID | None:
    """The entry's idempotency key, or None when it is missing or not a UUID."""
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        return None
    try:
        return uuid.UUID(raw["key"])
    except ValueError:
        return None


def entry_parse(raw) -> SyncEntry:
    """One entry of the payload, checked for shape; ValidationError (Vietnamese) names what is wrong."""
    if not isinstance(raw, dict):
        raise ValidationError(_("Mục gửi lên không hợp lệ."))
    key = entry_key(raw)
    if key is None:
        raise ValidationError(_("Mục gửi lên thiếu mã mục hợp lệ."))
    kind = raw.get("kind")
    if kind not in SyncedEntry.Kind.values:
        raise ValidationError(_("Loại mục không hợp lệ."))
    day = raw.get("date")
    try:
        date = datetime.date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        date = None
    if date is None:
        raise ValidationError(_("Ngày học không hợp lệ (năm-tháng-ngày)."))
    entry = SyncEntry(
        key=key,
        kind=kind,
        course=_int(raw.get("course"), label=_("lớp học"), minimum=1, maximum=2**31 - 1),
        date=date,
        topic=_text(raw.get("topic"), label=_("nội dung"), max_length=255),
        instructor=_int(raw.get("instructor"), label=_("giảng viên"), minimum=1, maximum=2**31 - 1, optional=True),
        instructor_name=_text(raw.get("instructor_name"), label=_("người dạy khác, khách mời"), max_length=200),
        session=_int(raw.get("session"), label=_("buổi học"), minimum=1, maximum=2**31 - 1, optional=True),
        base=_text(raw.get("base"), label=_("phiên bản"), max_length=64),
    )
    if kind == SyncedEntry.Kind.SESSION:
        entry.present = _int(raw.get("present"), label=_("số người dự"))
        entry.women = _int(raw.get("women", 0), label=_("trong đó nữ"))
        entry.minorities = _int(raw.get("minorities", 0), label=_("trong đó dân tộc thiểu số"))
    else:
        attended = raw.get("attended", [])
        if not isinstance(attended, list) or len(attended) > MAX_ATTENDED:
            raise ValidationError(_("Danh sách có mặt không hợp lệ."))
        entry.attended = {_int(e, label=_("người học"), minimum=1, maximum=2**31 - 1) for e in attended}
    return entry


def payload_entries(body: bytes) -> list:
    """The list of raw entries of a request body; ValidationError for a body that is not {"entries": [...]}."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(_("Dữ liệu gửi lên không đọc được.")) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValidationError(_("Dữ liệu gửi lên không đọc được."))
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(_("Mỗi lần gửi tối đa %(n)s mục; hãy gửi lại phần còn lại.") % {"n": MAX_ENTRIES})
    return entries


# --- Versions: what the phone saw of a session ------------------------------------------------------------------


def _attended(session: ClassSession) -> set[int]:
    return set(Attendance.objects.filter(session=session, present=True).values_list("enrolment_id", flat=True))


def session_state(session: ClassSession) -> dict:
    """The server's side of a conflict, as the phone shows it. Two queries."""
    attended = _attended(session) if session.course.is_roster else set()
    return {
        "session": session.pk,
        "date": session.date.isoformat(),
        "topic": session.topic,
        "instructor": session.instructor_label,
        "present": session.present,
        "women": session.women,
        "minorities": session.minorities,
        "attended": sorted(attended),
        "version": session_version(session, attended),
    }


# --- Recording ----------------------------------------------------------------------------------------------------


class _Conflict(Exception):
    def __init__(self, message: str, current: dict | None):
        super().__init__(message)
        self.message, self.current = message, current


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _instructor(entry: SyncEntry, course: Course) -> Instructor | None:
    if entry.instructor is None:
        return None
    found = Instructor.objects.filter(pk=entry.instructor).first()
    if found is None:
        raise ValidationError(_("Giảng viên không còn trong danh sách; chọn lại người dạy."))
    return found  # services refuse one who is not the centre's


def _write(entry: SyncEntry, course: Course, by) -> ClassSession:
    """The service calls an entry stands for; raises ValidationError, PermissionDenied or _Conflict."""
    scoping.require_centre_edit(by, course.centre)
    if entry.kind == SyncedEntry.Kind.SESSION and course.is_roster:
        raise ValidationError(_("Lớp có danh sách học viên: hãy điểm danh từng người."))
    if entry.kind == SyncedEntry.Kind.ATTENDANCE and not course.is_roster:
        raise ValidationError(_("Chuyên đề đếm số người dự không điểm danh từng người."))
    fields = {
        "date": entry.date,
        "topic": entry.topic,
        "instructor": _instructor(entry, course),
        "instructor_name": "" if entry.instructor else entry.instructor_name,
    }
    if not course.is_roster:
        fields.update(present=entry.present, women=entry.women, minorities=entry.minorities)
    if entry.session is not None:
        session = ClassSession.objects.select_for_update().filter(course=course, pk=entry.session).first()
        if session is None:
            raise _Conflict(_("Buổi học này đã bị xóa trên máy chủ."), None)
        current = session_state(session)
        if current["version"] != entry.base:
            raise _Conflict(
                _("Buổi học ngày %(day)s đã được người khác sửa trên máy chủ sau khi máy này tải về.")
                % {"day": _d(session.date)},
                current,
            )
        session = services.class_session_update(session=session, by=by, **fields)
    else:
        same_day = ClassSession.objects.filter(course=course, date=entry.date).order_by("id").first()
        if same_day is not None:
            raise _Conflict(
                _("Lớp đã có buổi học ngày %(day)s trên máy chủ (do người khác ghi).") % {"day": _d(entry.date)},
                session_state(same_day),
            )
        last = ClassSession.objects.filter(course=course).order_by("-date", "-id").first()
        copied = {"hours": last.hours, "place": last.place} if last else {"place": course.place}
        session = services.class_session_create(course=course, by=by, **fields, **copied)
    if course.is_roster:
        services.attendance_save(course=course, presence={session.pk: set(entry.attended)}, by=by)
        session.refresh_from_db(fields=["present", "women", "minorities"])
    return session


def _saved_message(session: ClassSession, course: Course) -> str:
    if course.is_roster:
        return _("Đã lưu điểm danh ngày %(day)s: %(n)s người có mặt.") % {"day": _d(session.date), "n": session.present}
    return _("Đã ghi buổi học ngày %(day)s: %(n)s người dự.") % {"day": _d(session.date), "n": session.present}


def synced_entry_record(*, entry: SyncEntry, by) -> dict:
    """Record one entry at most once and answer for it: {"key", "status": saved | refused | conflict, "message",
    "session", "current" (conflict)}. A key already recorded returns its first answer (with "replayed": true)."""
    key = str(entry.key)
    known = SyncedEntry.objects.filter(key=entry.key).first()
    if known is not None:
        return _replayed(known, key, by)
    course = (
        scoping.scoped(by, Course.objects.select_related("centre__commune"), "centre").filter(pk=entry.course).first()
    )
    if course is None:
        return {"key": key, "status": "refused", "message": _("Không tìm thấy lớp học hoặc bạn không có quyền ghi.")}
    try:
        with transaction.atomic():
            session = _write(entry, course, by)
            result = {
                "key": key,
                "status": "saved",
                "message": _saved_message(session, course),
                "session": session.pk,
                "version": session_version(session, entry.attended),
            }
            SyncedEntry.objects.create(
                key=entry.key, kind=entry.kind, user=by, course=course, session=session, result=result
            )
    except _Conflict as conflict:
        # The same entry, recorded meanwhile by a request running at the same time (its session is what this one
        # took for someone else's): answer as that one did.
        known = SyncedEntry.objects.filter(key=entry.key).first()
        if known is not None:
            return _replayed(known, key, by)
        return {"key": key, "status": "conflict", "message": conflict.message, "current": conflict.current}
    except ValidationError as exc:
        return {"key": key, "status": "refused", "message": " ".join(exc.messages)}
    except PermissionDenied as exc:
        return {"key": key, "status": "refused", "message": str(exc)}
    except IntegrityError:
        # The same key was recorded by a request running at the same time: this one rolled back; answer as it did.
        known = SyncedEntry.objects.filter(key=entry.key).first()
        if known is None:
            raise
        return _replayed(known, key, by)
    return result


def _replayed(known: SyncedEntry, key: str, by) -> dict:
    if known.user_id != by.pk:
        return {"key": key, "status": "refused", "message": _("Mã mục này đã được dùng cho một mục khác.")}
    return {**known.result, "replayed": True}


def sync_payload_record(*, body: bytes, by) -> list[dict]:
    """Every entry of a request body, each in its own transaction (one refused entry does not stop the others).
    ValidationError for a body that is not a list of entries."""
    results = []
    for raw in payload_entries(body):
        try:
            entry = entry_parse(raw)
        except ValidationError as exc:
            key = entry_key(raw)
            results.append({"key": str(key) if key else None, "status": "refused", "message": " ".join(exc.messages)})
            continue
        results.append(synced_entry_record(entry=entry, by=by))
    return results
