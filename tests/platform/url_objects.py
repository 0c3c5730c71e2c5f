"""The URL walker's registry (tests/platform/test_url_scoping.py): what to put in each URL keyword.

For every keyword a URL pattern captures, the walker needs a value that is OUTSIDE the scope of the persona
it tests. Convention: the object belongs to centre B (district Y, office Y, province P), so it is outside
the scope of staff_a, reviewer_x and other_official; the walker picks those personas itself through
accounts.scoping, so entries only have to say "an object of centre B".

Keys are (url name, keyword) for one route ("courses:attendance", "pk"), else (app, keyword): `app` is the first part of the view's module ("courses" for courses.views), or
"*" for a keyword that means the same thing in every app. Values are:
  - Obj(factory): a scope-bearing object; factory(filler) returns a model instance (or a pk). Use
    filler.get("<other keyword>") to build on the object another keyword of the same URL made, so that
    nested URLs (/lop/<course_pk>/buoi/<session_pk>/) stay consistent and cannot 404 for the wrong reason.
  - Value(factory): a keyword that is not an object (a year, a slug); URLs with only these are walked as
    pages without ids (anonymous → login).

When you add a URL with a new keyword, add its entry here (the walker fails and names it until you do).
Examples for the apps being built (uncomment at merge, adjusting the factory to the real models):

    ("courses", "pk"): Obj(lambda f: CourseFactory(centre=f.world.centre_b)),
    ("*", "course_pk"): Obj(lambda f: CourseFactory(centre=f.world.centre_b)),
    ("*", "session_pk"): Obj(lambda f: ClassSessionFactory(course=f.get("course_pk"))),
    ("evaluations", "pk"): Obj(lambda f: AssessmentFactory(centre=f.world.centre_b)),
    ("*", "assessment_pk"): Obj(lambda f: AssessmentFactory(centre=f.world.centre_b)),
    ("reports", "job_pk"): Obj(lambda f: ExportJobFactory(requested_by=f.world.staff_b)),
    ("*", "district_pk"): Obj(lambda f: f.world.district_y),
    ("*", "year"): Value(lambda f: 2025),
    # courses: "pk" is a class, except on session routes and programme kinds.
    ("courses", "pk"): Obj(lambda f: _course_of_b(f)),
    ("courses:session_edit", "pk"): Obj(lambda f: _session_of_b(f)),
    ("courses:session_delete", "pk"): Obj(lambda f: _session_of_b(f)),
    ("courses:attendance", "pk"): Obj(lambda f: _session_of_b(f)),
    # centres: board terms and instructor links of centre B.
    ("centres", "member_pk"): Obj(lambda f: _board_member_of_b(f)),
    ("centres", "link_pk"): Obj(lambda f: _instructor_link_of_b(f)),
    # reports: a district's and a centre's dashboards, and export jobs (owned by the user who asked).
    ("reports:district", "pk"): Obj(lambda f: f.world.district_y),
    ("reports:centre", "pk"): Obj(lambda f: f.world.centre_b),
    ("reports", "pk"): Obj(lambda f: _job_of_b(f)),
    ("reports", "code"): Value(lambda f: "centres"),
    ("reports:official", "code"): Value(lambda f: "bc-xep-loai"),
    # Programme kinds are the province's reference data, not a centre's (province-level page, 403 for others).
    ("courses:kind_edit", "pk"): Value(lambda f: __import__("courses.models").models.ProgrammeKind.objects.first().pk),
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Obj:
    factory: Callable[[Any], Any]


@dataclass(frozen=True)
class Value:
    factory: Callable[[Any], Any]


def _assessment_of_b(f):
    from evaluations import services
    from evaluations.models import Rubric

    province = f.world.centre_b.commune.province
    if not Rubric.objects.filter(province=province, year=2025).exists():
        services.rubric_create_default(province=province, year=2025)
    return services.assessment_start(centre=f.world.centre_b, year=2025, by=f.world.staff_b)


def _attachment_of_b(f):
    from django.core.files.base import ContentFile

    from evaluations.models import Attachment

    attachment = Attachment(assessment=_assessment_of_b(f), name="bb.pdf", size=3, uploaded_by=f.world.staff_b)
    attachment.file.save("bb.pdf", ContentFile(b"pdf"), save=True)
    return attachment


def _course_of_b(f):
    from tests.courses.factories import CourseFactory

    return CourseFactory(centre=f.world.centre_b)


def _enrolment_of_b(f):
    from courses.models import Course
    from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory

    course = CourseFactory(centre=f.world.centre_b, format=Course.Format.ROSTER)
    return EnrolmentFactory(course=course, learner=LearnerFactory(centre=f.world.centre_b))


def _session_of_b(f):
    from courses.models import Course
    from tests.courses.factories import CourseFactory, SessionFactory

    return SessionFactory(course=CourseFactory(centre=f.world.centre_b, format=Course.Format.ROSTER))


def _board_member_of_b(f):
    from tests.centres.factories import BoardMemberFactory

    return BoardMemberFactory(centre=f.world.centre_b)


def _instructor_link_of_b(f):
    from tests.centres.factories import AssignmentFactory

    return AssignmentFactory(centre=f.world.centre_b)


def _learner_of_b(f):
    from tests.courses.factories import LearnerFactory

    return LearnerFactory(centre=f.world.centre_b)


def _enrolment_of_b(f):
    from tests.courses.factories import EnrolmentFactory, LearnerFactory

    course = _session_of_b(f).course
    return EnrolmentFactory(course=course, learner=LearnerFactory(centre=f.world.centre_b))


def _archived_course_of_b(f):
    """A class of centre B with a session, written and deleted through the services (figures kept exact)."""
    import datetime

    from courses import services
    from tests.clock import this_year
    from tests.courses.factories import kind

    start, staff = datetime.date(this_year(), 1, 5), f.world.staff_b
    course = services.course_create(
        centre=f.world.centre_b, by=staff, programme_kind=kind(), title="Lớp đã xóa", start_date=start,
        end_date=start + datetime.timedelta(days=60),
    )  # fmt: skip
    services.class_session_create(course=course, by=staff, date=start, present=10)
    services.course_archive(course=course, by=staff)
    return course


def _job_of_b(f):
    from reports.models import ExportJob

    # Failed (history): one URL after another may each make one; only one active job per request may exist.
    return ExportJob.objects.create(
        user=f.world.staff_b, kind="centres", title="Danh sách trung tâm", status=ExportJob.Status.FAILED
    )


def _training_course_of_b(f):
    """A course of the province that invites centre B only: staff of A, the reviewer of X and another province's
    official do not see it."""
    from tests.training.factories import TrainingCourseFactory, invited

    return invited(TrainingCourseFactory(province=f.world.province, created_by=f.world.official), f.world.centre_b)


def _material_of_b(f):
    """Centre B's upload, waiting for approval: nobody outside centre B and its province sees it."""
    from tests.materials.factories import material

    return material(province=f.world.province, by=f.world.staff_b, centre=f.world.centre_b)


def _material_use_of_b(f):
    from materials.models import CourseMaterial
    from tests.materials.factories import material

    published = material(province=f.world.province, by=f.world.official)
    return CourseMaterial.objects.create(course=f.get("course_pk"), material=published, added_by=f.world.official)


def _rubric_of_p(f):
    """The 2025 rubric of province P (centre B's): other_official's province is another one."""
    return _assessment_of_b(f).rubric


def _holding_of_b(f):
    from library.models import Holding
    from tests.clock import this_year

    day = __import__("datetime").date(this_year(), 1, 31)
    return Holding.objects.get_or_create(centre=f.world.centre_b, as_of=day, defaults={"books": 9})[0]


def _reading_event_of_b(f):
    from library.models import ReadingEvent
    from tests.clock import this_year

    return ReadingEvent.objects.create(
        centre=f.world.centre_b, date=__import__("datetime").date(this_year(), 2, 1), title="Ngày hội đọc sách"
    )


def _contribution_of_b(f):
    from resources.models import Contribution
    from tests.clock import this_year

    return Contribution.objects.get_or_create(
        centre=f.world.centre_b, date=__import__("datetime").date(this_year(), 2, 1), source="ca_nhan", kind="sach",
        description="Sách pháp luật",
    )[0]  # fmt: skip


def _criterion(f):
    return f.get("pk").criteria.first().pk  # the criterion routes' "pk" is the rubric


OBJECTS: dict[tuple[str, str], Obj | Value] = {
    ("*", "centre_pk"): Obj(lambda f: f.world.centre_b),
    ("*", "centre_id"): Obj(lambda f: f.world.centre_b),
    ("centres", "pk"): Obj(lambda f: f.world.centre_b),
    ("centres:detail", "pk"): Obj(lambda f: f.world.centre_b),  # the centre page, assembled in portal.views
    ("*", "office_pk"): Obj(lambda f: f.world.office_y),
    ("*", "office_id"): Obj(lambda f: f.world.office_y),
    ("evaluations", "pk"): Obj(_assessment_of_b),
    ("evaluations", "attachment_id"): Obj(_attachment_of_b),
    ("*", "year"): Value(lambda f: 2025),
    # courses: "pk" is a class, except on session routes and programme kinds.
    ("courses", "pk"): Obj(lambda f: _course_of_b(f)),
    ("courses:session_edit", "pk"): Obj(lambda f: _session_of_b(f)),
    ("courses:session_delete", "pk"): Obj(lambda f: _session_of_b(f)),
    ("courses:attendance", "pk"): Obj(lambda f: _session_of_b(f)),
    ("courses:withdraw", "pk"): Obj(lambda f: _enrolment_of_b(f)),
    # centres: board terms and instructor links of centre B.
    ("centres", "member_pk"): Obj(lambda f: _board_member_of_b(f)),
    ("centres", "link_pk"): Obj(lambda f: _instructor_link_of_b(f)),
    # Deleting a learner or an enrolment; restoring what was deleted (/da-xoa/, in portal): a class of B.
    ("courses:learner_delete", "pk"): Obj(_learner_of_b),
    ("courses:enrolment_delete", "pk"): Obj(_enrolment_of_b),
    ("archive_restore", "pk"): Obj(_archived_course_of_b),
    ("archive_restore", "kind"): Value(lambda f: "lop"),
    # reports: a district's and a centre's dashboards, and export jobs (owned by the user who asked).
    ("reports:district", "pk"): Obj(lambda f: f.world.district_y),
    ("reports:centre", "pk"): Obj(lambda f: f.world.centre_b),
    ("reports", "pk"): Obj(lambda f: _job_of_b(f)),
    ("reports", "code"): Value(lambda f: "centres"),
    ("reports:official", "code"): Value(lambda f: "bc-xep-loai"),
    # Programme kinds are the province's reference data, not a centre's (province-level page, 403 for others).
    ("courses:kind_edit", "pk"): Value(lambda f: __import__("courses.models").models.ProgrammeKind.objects.first().pk),
    # A rubric (and its thresholds, deadlines) is province P's: another province's official gets 404
    # (tests/evaluations/test_province_settings.py); staff and reviewers are refused by role (403).
    **{
        (f"evaluations:{name}", "pk"): Obj(_rubric_of_p)
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
    ("evaluations", "criterion_id"): Value(_criterion),
    # staff_accounts: an account of another province's centre is outside other_official's scope; staff and
    # reviewers are refused the whole app (403, tests/staff_accounts).
    ("staff_accounts", "pk"): Obj(lambda f: f.world.staff_b),
    # training: "pk" is a training course (the province's, inviting centre B); "centre_pk" is centre B ("*").
    ("training", "pk"): Obj(_training_course_of_b),
    # materials: "pk" is centre B's pending upload; a class of centre B and a material it lists.
    # The password reset link's keywords: public pages (below), not a centre's objects.
    ("accounts", "uidb64"): Value(lambda f: "MQ"),
    ("accounts", "token"): Value(lambda f: "set-password"),
    ("materials", "pk"): Obj(_material_of_b),
    ("materials", "course_pk"): Obj(lambda f: _course_of_b(f)),
    ("materials", "use_pk"): Obj(_material_use_of_b),
    # library and resources: centre B's holdings count, reading event and contribution ("centre_pk" is "*").
    ("*", "holding_pk"): Obj(_holding_of_b),
    ("*", "event_pk"): Obj(_reading_event_of_b),
    ("*", "contribution_pk"): Obj(_contribution_of_b),
    # --- exports branch: reports:audit (/bao-cao/nhat-ky/) takes no URL keyword (filters are GET parameters;
    # a centre of another unit there is a 404, tested in tests/reports/test_audit.py). The list exports run
    # through reports:export, whose code the entry above fills. Nothing new to fill.
}

# Pages anyone may open without logging in (everything else must send an anonymous visitor to login).
PUBLIC = {
    "accounts:login",
    "accounts:logout",  # POST only; logging out an anonymous visitor is harmless
    "set_language",
    # Password reset by e-mail: for those who cannot log in (rate-limited, reveals nothing; tests/reminders).
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    # The installable app (portal/pwa.py): the same for everyone, no personal data; the offline page is rendered
    # for nobody (tests/portal/test_pwa.py).
    "manifest",
    "service_worker",
    "offline",
}

# URL namespaces the walker leaves to their own tests: the admin site (test_admin_site_*).
SKIPPED_NAMESPACES = {"admin"}

# Pages that refuse another unit's object with 403 instead of 404 (say why for each). Empty is the goal.
READ_DENIED_WITH_403: set[str] = {
    # Province-level pages: staff and reviewers are refused (403) before any lookup, whatever the office;
    # an official of another province gets 404 for an office outside their province.
    "evaluations:office",
    "evaluations:bulk_approve",
    # A province's rubric pages: staff and reviewers are refused by role (403); another province's official 404.
    "evaluations:rubric",
    "evaluations:criterion_add",
    "evaluations:criterion_edit",
    "evaluations:criterion_delete",
    "evaluations:rubric_settings",
    "evaluations:thresholds",
    "evaluations:cycle",
    # District dashboards are for reviewers and the province: centre staff are refused by role (403) for every
    # district, their own included, so the answer reveals nothing; outsiders among reviewers get 404.
    "reports:district",
}


class Filler:
    """Makes the values of one URL's keywords, once each, so that nested keywords share their parents."""

    def __init__(self, world, app: str, registry: dict | None = None, route_name: str = "") -> None:
        self.world = world
        self.app = app
        self.route_name = route_name
        self.registry = OBJECTS if registry is None else registry
        self.made: dict[str, Any] = {}

    def entry(self, keyword: str) -> Obj | Value | None:
        return (
            self.registry.get((self.route_name, keyword))
            or self.registry.get((self.app, keyword))
            or self.registry.get(("*", keyword))
        )

    def get(self, keyword: str) -> Any:
        if keyword not in self.made:
            entry = self.entry(keyword)
            if entry is None:
                raise KeyError(keyword)
            self.made[keyword] = entry.factory(self)
        return self.made[keyword]

    def kwargs(self, keywords) -> dict[str, Any]:
        return {name: getattr(value, "pk", value) for name in keywords for value in [self.get(name)]}
