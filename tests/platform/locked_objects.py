"""The locked-write walker's registry (tests/platform/test_locked_writes.py): the objects of a centre whose year is
locked, or of a merged centre, for every URL keyword; a valid payload for the writes whose own page does not
show their form; and the writes a lock or a merger rightly does not stop, each with its reason.

A URL keyword this registry does not know fails the walker, naming the pattern (as the URL walker's does). A new
write — a view that answers 405 to a GET (@require_POST), or whose page posts a form to itself — is walked by
itself: it must refuse with the Vietnamese reason and write nothing, or be listed below with a reason.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.platform.url_objects import Obj, Value

LOCKED, MERGED = "locked", "merged"


@dataclass
class Target:
    """One centre and its objects, as the walker posts against them, and the personas who may change it."""

    world: Any
    centre: Any
    year: int  # the locked year, or the year of the merged centre's objects
    course: Any  # a roster class of that year
    session: Any
    learner: Any
    enrolment: Any
    member: Any
    link: Any
    assessment: Any
    attachment: Any
    office: Any
    personas: dict[str, Any] = field(default_factory=dict)  # "staff", "reviewer", "official"


OBJECTS: dict[tuple[str, str], Obj | Value] = {
    ("*", "centre_pk"): Obj(lambda f: f.world.centre),
    ("*", "centre_id"): Obj(lambda f: f.world.centre),
    ("centres", "pk"): Obj(lambda f: f.world.centre),
    ("portal", "pk"): Obj(lambda f: f.world.centre),  # the centre page (centres:detail), routed in portal
    ("centres", "member_pk"): Obj(lambda f: f.world.member),
    ("centres", "link_pk"): Obj(lambda f: f.world.link),
    ("courses", "pk"): Obj(lambda f: f.world.course),
    ("courses:session_edit", "pk"): Obj(lambda f: f.world.session),
    ("courses:session_delete", "pk"): Obj(lambda f: f.world.session),
    ("courses:attendance", "pk"): Obj(lambda f: f.world.session),
    ("courses:withdraw", "pk"): Obj(lambda f: f.world.enrolment),
    ("courses:kind_edit", "pk"): Value(lambda f: f.world.course.programme_kind_id),
    ("courses:learner_delete", "pk"): Obj(lambda f: f.world.learner),
    ("courses:enrolment_delete", "pk"): Obj(lambda f: f.world.enrolment),
    ("archive_restore", "pk"): Obj(lambda f: _archived_class(f.world)),
    ("archive_restore", "kind"): Value(lambda f: "lop"),
    # A staff account of the province (staff_accounts): people, not a centre's data (see NOT_A_CENTRES_DATA).
    ("staff_accounts", "pk"): Value(
        lambda f: __import__("accounts.models").models.User.objects.filter(role="centre_staff").first().pk
    ),
    ("evaluations", "pk"): Obj(lambda f: f.world.assessment),
    ("evaluations", "attachment_id"): Obj(lambda f: f.world.attachment),
    ("*", "office_pk"): Obj(lambda f: f.world.office),
    ("*", "office_id"): Obj(lambda f: f.world.office),
    ("*", "year"): Value(lambda f: f.world.year),
    ("evaluations", "criterion_id"): Value(lambda f: f.world.assessment.rubric.criteria.first().pk),
    # The rubric routes' "pk" is the rubric the target's assessment was made with (its province's).
    **{
        (f"evaluations:{name}", "pk"): Value(lambda f: f.world.assessment.rubric_id)
        for name in (
            "rubric",
            "criterion_add",
            "criterion_edit",
            "criterion_delete",
            "rubric_settings",
            "thresholds",
            "cycle",
        )
    },
    ("reports:district", "pk"): Obj(lambda f: f.world.centre.commune.district),
    ("reports:centre", "pk"): Obj(lambda f: f.world.centre),
    ("reports", "pk"): Obj(lambda f: _job(f.world)),
    ("reports", "code"): Value(lambda f: "buoi-hoc"),
    ("reports:official", "code"): Value(lambda f: "bc-xep-loai"),
    ("training", "pk"): Obj(lambda f: _training_course(f.world)),
    ("accounts", "uidb64"): Value(lambda f: "MQ"),  # the password reset link: not a centre's object
    ("accounts", "token"): Value(lambda f: "set-password"),
    ("materials", "pk"): Obj(lambda f: _material(f.world)),
    ("materials", "course_pk"): Obj(lambda f: f.world.course),
    ("materials", "use_pk"): Obj(lambda f: _material_use(f.world)),
    ("*", "holding_pk"): Obj(lambda f: _library_rows(f.world)[0]),
    ("*", "event_pk"): Obj(lambda f: _library_rows(f.world)[1]),
    ("*", "contribution_pk"): Obj(lambda f: _contribution(f.world)),
}


def _library_rows(target):
    """A holdings count and a reading event of the target's year (once per target)."""
    from library.models import Holding, ReadingEvent

    if not hasattr(target, "_library_rows"):
        target._library_rows = (
            Holding.objects.create(centre=target.centre, as_of=datetime.date(target.year, 1, 31), books=9),
            ReadingEvent.objects.create(centre=target.centre, date=datetime.date(target.year, 2, 1), title="Đọc sách"),
        )
    return target._library_rows


def _contribution(target):
    from resources.models import Contribution

    return Contribution.objects.create(
        centre=target.centre, date=datetime.date(target.year, 2, 1), source="ca_nhan", kind="sach",
        description="Sách pháp luật",
    )  # fmt: skip


def library_months_csv(t) -> bytes:
    from library.spreadsheet import COLUMNS

    out = io.StringIO()
    csv.writer(out).writerows([COLUMNS, [t.year, 3, 120, 40]])
    return out.getvalue().encode()


def contributions_csv(t) -> bytes:
    from resources.spreadsheet import DESCRIPTION_COLUMN, REQUIRED

    assert REQUIRED[-1] == DESCRIPTION_COLUMN
    out = io.StringIO()
    csv.writer(out).writerows([REQUIRED, [f"05/03/{t.year}", "Doanh nghiệp", "Tiền", "5000000", "Hỗ trợ lớp học"]])
    return out.getvalue().encode()


def _stage(key: str, name: str, content: Callable):
    def prepare(client, t) -> None:
        from tthtcd_portal.spreadsheets import stage_upload

        session = client.session
        session[key] = {
            "token": stage_upload(SimpleUploadedFile(name, content(t))),
            "name": name,
            "centre": t.centre.pk,
        }
        session.save()

    return prepare


def _material(target):
    """The target centre's upload, waiting for approval."""
    from tests.materials.factories import material

    return material(province=target.centre.commune.province, by=target.personas["staff"], centre=target.centre)


def _material_use(target):
    from materials.models import CourseMaterial
    from tests.materials.factories import material

    published = material(province=target.centre.commune.province, by=target.personas["official"])
    return CourseMaterial.objects.create(course=target.course, material=published, added_by=target.personas["official"])


def _training_course(target):
    """A course of the target centre's province that invites it (held in the target's year)."""
    import datetime

    from training.models import TrainingCourse, TrainingInvitation

    official = target.personas["official"]
    course = TrainingCourse.objects.create(
        province_id=target.centre.commune.province_id,
        title="Tập huấn",
        topic="Quản lý",
        organiser="department",
        audience="both",
        place="Sở",
        start_date=datetime.date(target.year, 3, 1),
        end_date=datetime.date(target.year, 3, 2),
        created_by=official,
    )
    TrainingInvitation.objects.create(course=course, centre=target.centre)
    return course


def _archived_class(target):
    """A second class of the target's year with a session, deleted (archived) while the centre was open: its
    restore is the write the lock or the merger must refuse."""
    import datetime

    from courses import services

    staff = target.personas["staff"]
    course = services.course_create(
        centre=target.centre, by=staff, programme_kind=target.course.programme_kind, title="Lớp đã xóa",
        format="talk", start_date=datetime.date(target.year, 1, 5), end_date=datetime.date(target.year, 6, 30),
    )  # fmt: skip
    services.class_session_create(course=course, by=staff, date=datetime.date(target.year, 2, 9), present=12)
    services.course_archive(course=course, by=staff)
    return course


def _job(target):
    from reports.models import ExportJob

    return ExportJob.objects.create(
        user=target.personas["staff"], kind="buoi-hoc", title="Buổi học", status=ExportJob.Status.FAILED
    )


# --- Payloads: what a user would post ------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    data: Callable[[Target], dict] | None = None  # replaces the form the page shows (or nothing)
    extra: Callable[[Target], dict] | None = None  # added to it
    query: Callable[[Target], dict] | None = None  # the URL's query string
    prepare: Callable[[Any, Target], None] | None = None  # before the POST: client, target


def _day(t: Target, month: int, day: int) -> str:
    return datetime.date(t.year, month, day).isoformat()


def class_list_csv(t: Target) -> bytes:
    """A class list with one talk and one session in the target's year (courses.spreadsheet's columns)."""
    from courses.spreadsheet import COLUMNS

    row = [
        "Pháp luật đất đai",
        t.course.programme_kind.name,
        "Nguyễn Văn Hùng",
        "",
        "Hội trường",
        f"01/03/{t.year}",
        f"31/03/{t.year}",
        f"05/03/{t.year}",
        "Phần 1",
        "2",
        "80",
        "40",
        "1",
    ]
    out = io.StringIO()
    csv.writer(out).writerows([COLUMNS, row])
    return out.getvalue().encode()


def _stage_class_list(client, t: Target) -> None:
    from courses.views import IMPORT_SESSION_KEY
    from tthtcd_portal.spreadsheets import stage_upload

    session = client.session
    token = stage_upload(SimpleUploadedFile("lop.csv", class_list_csv(t)))
    session[IMPORT_SESSION_KEY] = {"token": token, "name": "lop.csv", "centre": t.centre.pk}
    session.save()


def planning_csv(t: Target, what: str) -> bytes:
    """A needs file (one cell) or a plan file (one line) of the target's year (planning.spreadsheet's columns)."""
    from planning.spreadsheet import NEEDS_COLUMNS, PLAN_COLUMNS

    kind = t.course.programme_kind.name
    rows = [[t.year, kind, "Nông dân", 40]] if what == "needs" else [[t.year, kind, "Lớp học", 3, 2, 200]]
    out = io.StringIO()
    csv.writer(out).writerows([NEEDS_COLUMNS if what == "needs" else PLAN_COLUMNS, *rows])
    return out.getvalue().encode()


def _stage_planning(what: str):
    def prepare(client, t: Target) -> None:
        from planning.views import IMPORTERS
        from tthtcd_portal.spreadsheets import stage_upload

        session = client.session
        token = stage_upload(SimpleUploadedFile(f"{what}.csv", planning_csv(t, what)))
        session[IMPORTERS[what].key] = {"token": token, "name": f"{what}.csv", "centre": t.centre.pk}
        session.save()

    return prepare


WRITES: dict[str, Write] = {
    "planning:needs_import": Write(
        data=lambda t: {
            "centre": t.centre.pk,
            "file": SimpleUploadedFile("n.csv", planning_csv(t, "needs"), "text/csv"),
        }
    ),
    "planning:needs_import_confirm": Write(prepare=_stage_planning("needs")),
    "planning:plans_import": Write(
        data=lambda t: {
            "centre": t.centre.pk,
            "file": SimpleUploadedFile("p.csv", planning_csv(t, "plans"), "text/csv"),
        }
    ),
    "planning:plans_import_confirm": Write(prepare=_stage_planning("plans")),
    "courses:create": Write(
        data=lambda t: {
            "centre": t.centre.pk,
            "programme_kind": t.course.programme_kind_id,
            "title": "Lớp mới",
            "format": "talk",
            "start_date": _day(t, 3, 1),
            "end_date": _day(t, 3, 31),
            "planned_sessions": 4,
        }
    ),
    # The month of the class's session: its grid is the form (another month has no session to tick).
    "courses:month": Write(query=lambda t: {"thang": f"{t.year}-02"}),
    "courses:withdraw": Write(data=lambda t: {"until_date": _day(t, 2, 1)}),
    "courses:month_add": Write(data=lambda t: {"thang": f"{t.year}-02", "ngay": [_day(t, 2, 9)]}),
    # A quick-add line too: the new learner must not be left behind when the enrolment is refused.
    "courses:enrol": Write(extra=lambda t: {"moi-0-full_name": "Người Học Mới", "moi-0-gender": "female"}),
    "courses:learners": Write(
        query=lambda t: {"trung_tam": t.centre.pk},
        data=lambda t: {"full_name": "Người Học Mới", "gender": "female", "ethnicity": "Kinh"},
    ),
    "courses:import": Write(
        data=lambda t: {"centre": t.centre.pk, "file": SimpleUploadedFile("lop.csv", class_list_csv(t), "text/csv")}
    ),
    "courses:import_confirm": Write(prepare=_stage_class_list),
    "evaluations:start": Write(data=lambda t: {"nam": t.year}),
    "library:holding_add": Write(data=lambda t: {"as_of": _day(t, 3, 1), "books": 10, "newspapers": 1, "magazines": 1}),
    "library:months": Write(data=lambda t: {"nam": t.year, "m3_readers": 120, "m3_loans": 40}),
    "library:event_add": Write(
        data=lambda t: {"date": _day(t, 3, 2), "title": "Ngày hội đọc sách", "participants": 50}
    ),
    "library:import": Write(data=lambda t: {"file": SimpleUploadedFile("bd.csv", library_months_csv(t), "text/csv")}),
    "library:import_confirm": Write(prepare=_stage("library_import", "bd.csv", library_months_csv)),
    "resources:centre": Write(
        data=lambda t: {
            "date": _day(t, 3, 5),
            "source": "doanh_nghiep",
            "kind": "tien",
            "value": 5000000,
            "description": "Hỗ trợ lớp học",
        }  # fmt: skip
    ),
    "resources:import": Write(data=lambda t: {"file": SimpleUploadedFile("nl.csv", contributions_csv(t), "text/csv")}),
    "resources:import_confirm": Write(prepare=_stage("resources_import", "nl.csv", contributions_csv)),
    "evaluations:self_save": Write(data=lambda t: {"version": t.assessment.version, "comment": "Sửa"}),
    "evaluations:review_save": Write(data=lambda t: {"version": t.assessment.version, "comment": "Sửa"}),
    "evaluations:attach": Write(
        data=lambda t: {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf")}
    ),
    "evaluations:propose": Write(data=lambda t: {"version": t.assessment.version, "rating": "kha", "reason": "Sửa"}),
    "evaluations:approve": Write(data=lambda t: {"version": t.assessment.version}),
    "evaluations:return": Write(data=lambda t: {"version": t.assessment.version, "reason": "Sửa"}),
    "evaluations:unlock": Write(data=lambda t: {"version": t.assessment.version, "reason": "Sửa"}),
}


# --- Writes a lock or a merger does not stop (each with why) --------------------------------------------------

NOT_A_CENTRES_DATA = {
    "accounts:password_change": "the user's own password",
    "accounts:password_reset": "a password reset e-mail is the user's own",
    "accounts:password_reset_confirm": "the user's own password",
    "reminders:list": "the user's own digest setting",
    "units:import": "administrative units (administrators)",
    "units:import_confirm": "administrative units (administrators)",
    "centres:create": "a new centre: no year of it is locked, no merger is undone",
    "courses:kinds": "programme kinds: the province's reference data",
    "courses:kind_edit": "programme kinds: the province's reference data",
    "evaluations:rubrics": "the province's rubric of a year, frozen by its own rule (docs/evaluations.md)",
    "evaluations:criterion_add": "the province's rubric of a year, frozen by its own rule",
    "evaluations:criterion_edit": "the province's rubric of a year, frozen by its own rule",
    "evaluations:criterion_delete": "the province's rubric of a year, frozen by its own rule",
    "evaluations:thresholds": "the province's rubric of a year, frozen by its own rule",
    "evaluations:rubric_settings": "the province's rubric of a year, frozen by its own rule",
    "evaluations:cycle": "the province's deadlines of a year",
    "evaluations:assign_offices": "who reviews a centre is configuration, not the centre's data",
    "reports:export_start": "an export reads; the job row it makes is the user's",
    "reports:job_restart": "an export reads; the job row it makes is the user's",
    "reports:settings": "the province's report header",
    "staff_accounts:create": "accounts are people, not a centre's data (a merged centre is not offered)",
    "staff_accounts:edit": "accounts are people, not a centre's data",
    "staff_accounts:deactivate": "accounts are people, not a centre's data",
    "staff_accounts:reactivate": "accounts are people, not a centre's data",
    "staff_accounts:password": "accounts are people, not a centre's data",
    "staff_accounts:import": "accounts are people, not a centre's data (a merged centre is not offered)",
    "staff_accounts:import_confirm": "accounts are people, not a centre's data",
    "training:create": "a training course is the province's, not a centre's data",
    "training:edit": "a training course is the province's, not a centre's data",
    # A JSON API the walker's form posts cannot speak: tests/courses/test_sync.py posts entries of a locked year
    # and of a merged centre and checks each is refused with the reason and nothing is written.
    "courses:offline_sync": "walked by its own tests (JSON entries): tests/courses/test_sync.py",
}

ALLOWED: dict[str, dict[str, str]] = {
    LOCKED: NOT_A_CENTRES_DATA
    | {
        "centres:edit": "the registry is the centre's current record, not a year's figures",
        "centres:facilities": "the registry is the centre's current record, not a year's figures",
        "library:edit": "what the centre has (library, bookshelf, none) is its current record, not a year's figure",
        "centres:merge": "merging keeps every locked year with the old centre (docs/centres.md)",
        "centres:board_add": "the board is the registry, with its own history of terms",
        "centres:board_edit": "the board is the registry, with its own history of terms",
        "centres:board_end": "the board is the registry, with its own history of terms",
        "centres:board_delete": "the board is the registry, with its own history of terms",
        "centres:instructor_add": "instructors are the registry",
        "centres:instructor_link": "instructors are the registry",
        "centres:instructor_edit": "instructors are the registry",
        "courses:learners": "a learner is a person on the centre's list, not a year's figure (enrolling is refused)",
        "evaluations:unlock": "the one write a lock allows: the province reopens the year, with a reason",
        "training:invite": "a training course is the province's; being trained is not a year's figure",
        "training:attendance": "a training course is the province's; being trained is not a year's figure",
        "materials:upload": "a learning material is not a year's figure",
        "materials:approve": "a learning material is not a year's figure",
        "materials:reject": "a learning material is not a year's figure",
        "materials:course": "the materials a class used are not a year's figure",
        "materials:course_remove": "the materials a class used are not a year's figure",
    },
    MERGED: NOT_A_CENTRES_DATA
    | {
        # The evaluation of a year before the merger is finished by the reviewing office and the province (the
        # 2024 ratings of centres merged on 1/7/2025 were approved after it).
        "evaluations:review_save": "the office finishes the evaluation of a year before the merger",
        "evaluations:propose": "the office finishes the evaluation of a year before the merger",
        "evaluations:approve": "the province finishes the evaluation of a year before the merger",
        "evaluations:return": "the province finishes the evaluation of a year before the merger",
        "evaluations:unlock": "the province finishes the evaluation of a year before the merger",
        "evaluations:bulk_approve": "the province finishes the evaluation of a year before the merger",
        # Invitations offer active centres only: a merged centre is never a choice (the service refuses it too,
        # tests/training). Recording attendance for a merged centre is refused with the reason (walked).
        "training:invite": "a merged centre is never among the choices; the service refuses it (tests/training)",
        "materials:upload": "the Sở's own upload belongs to no centre (a merged centre's staff get 403 with the reason)",
        "materials:approve": "the province judges a material the centre sent before it merged",
        "materials:reject": "the province judges a material the centre sent before it merged",
    },
}

# Writes that, here, have nothing to write: they must write nothing, but need not say the lock's reason.
QUIET: dict[str, dict[str, str]] = {
    LOCKED: {
        "evaluations:start": "the year's assessment exists (approved): it is shown, nothing is opened",
        "evaluations:bulk_approve": "approving is what locks; an approved assessment is not approved again",
    },
    MERGED: {},
}
