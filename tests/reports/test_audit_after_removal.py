"""The audit trail never fails (issue 14 item 3): after objects of every kind are removed — hard-deleted where a
path still allows it (the Django admin, a shell), or archived through the services — the trail, each of its
filters and its export answer 200 for every role that may read them, and still name what was removed."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from centres.models import BoardMember, Centre, Instructor, InstructorAssignment
from courses.models import AttendanceAudit, Course, Learner
from evaluations.models import Assessment, AssessmentEvent
from reports.audit import KIND_CHOICES
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory
from tests.factories import CentreFactory, CommuneFactory, UserFactory
from tests.reports.factories import AssessmentFactory
from tthtcd_portal.xlsx import HEADER_ROW

URL = reverse("reports:audit")
EXPORT = reverse("reports:export", args=["nhat-ky"])


def _one_of_every_kind(world):
    member = BoardMemberFactory(centre=world.centre_a, full_name="Phạm Văn Đức")
    link = AssignmentFactory(centre=world.centre_a)
    course = CourseFactory(centre=world.centre_a, title="Kỹ thuật nuôi cá", format=Course.Format.ROSTER)
    session = SessionFactory(course=course, present=0, women=0, minorities=0)
    learner = LearnerFactory(centre=world.centre_a, full_name="Lò Thị Mai")
    EnrolmentFactory(course=course, learner=learner)
    AttendanceAudit.objects.create(
        session=session, by=world.staff_a, present_before=0, present_after=1, women_before=0, women_after=1,
        minorities_before=0, minorities_after=0,
    )  # fmt: skip
    assessment = AssessmentFactory(centre=world.centre_a, year=2025, status=Assessment.Status.DRAFT)
    AssessmentEvent.objects.create(
        assessment=assessment, actor=world.staff_a, at=timezone.now(), action=AssessmentEvent.Action.SUBMIT,
        from_status=Assessment.Status.DRAFT, to_status=Assessment.Status.SUBMITTED,
    )  # fmt: skip
    centre = CentreFactory(commune=CommuneFactory(district=world.district_x, code="12700", name="Xã Đông Hợp"))
    return member, link, course, learner, assessment, centre


def _hard_delete_everything(world):
    """What the admin or a shell can still do: delete each object and what hangs off it."""
    member, link, course, learner, assessment, centre = _one_of_every_kind(world)
    member.delete()
    instructor = link.instructor
    InstructorAssignment.objects.filter(pk=link.pk).delete()
    Instructor.objects.filter(pk=instructor.pk).delete()
    Course.objects.filter(pk=course.pk).delete()  # its sessions, enrolments, attendance and audit with it
    Learner.objects.filter(pk=learner.pk).delete()
    Assessment.objects.filter(pk=assessment.pk).delete()
    Centre.objects.filter(pk=centre.pk).delete()
    assert not BoardMember.objects.filter(pk=member.pk).exists()


def _readers(world):
    admin = UserFactory(username="admin_tinh", role=User.Role.ADMIN)
    return {"official": world.official, "admin": admin, "other_official": world.other_official}


def _every_filter(world):
    yield {}
    for kind, _label in KIND_CHOICES:
        yield {"doi_tuong": kind}
    yield {"trung_tam": world.centre_a.pk}
    yield {"nguoi": "staff_a"}
    yield {"tu_ngay": "2020-01-01", "den_ngay": "2030-12-31"}


def _sheet_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(r)]


@pytest.mark.parametrize("reader", ["official", "admin", "other_official"])
def test_trail_its_filters_and_export_answer_after_hard_deletes(world, client_for, reader):
    _hard_delete_everything(world)
    client = client_for(_readers(world)[reader])
    for params in _every_filter(world):
        if reader == "other_official" and "trung_tam" in params:
            assert client.get(URL, params).status_code == 404  # another province's centre, as everywhere
            continue
        page = client.get(URL, params)
        assert page.status_code == 200, params
        export = client.get(EXPORT, params)
        assert export.status_code == 200, params
        rows = _sheet_rows(export)
        if reader == "admin" and params == {"doi_tuong": "buoi-hoc"}:
            # The session's history still names its class, though the class is gone. (An official's scope runs
            # through the class, so a hard-deleted class takes its sessions' history out of it: hence archiving.)
            assert any("Kỹ thuật nuôi cá" in (r[4] or "") for r in rows)
    if reader != "other_official":
        text = client.get(URL).content.decode()
        assert "Phạm Văn Đức" in text and "Lò Thị Mai" in text and "Kỹ thuật nuôi cá" in text


def _archive_everything(world):
    """What the portal does now when a user deletes: archive through the services."""
    from centres import services as centre_services
    from courses import services as course_services
    from courses.figures import figures_rebuild

    member, link, course, learner, assessment, centre = _one_of_every_kind(world)
    centre_services.board_member_archive(member=member, by=world.staff_a)
    other = SessionFactory(course=CourseFactory(centre=world.centre_a, title="Tin học văn phòng"), present=9)
    figures_rebuild()  # the factories wrote no figures
    course_services.class_session_archive(session=other, by=world.staff_a)
    course_services.learner_archive(learner=learner, by=world.staff_a)
    course_services.course_archive(course=course, by=world.staff_a)


@pytest.mark.parametrize("reader", ["official", "admin"])
def test_trail_its_filters_and_export_answer_after_archives_and_keep_the_sessions_history(world, client_for, reader):
    _archive_everything(world)
    client = client_for(_readers(world)[reader])
    for params in _every_filter(world):
        assert client.get(URL, params).status_code == 200, params
        export = client.get(EXPORT, params)
        assert export.status_code == 200, params
        if params == {"doi_tuong": "buoi-hoc"}:
            rows = _sheet_rows(export)
            removed = [r for r in rows if r[6] == "Xóa (lưu trữ)"]
            assert {r[4].split(" – ")[0] for r in removed} == {"Kỹ thuật nuôi cá", "Tin học văn phòng"}
    text = client.get(URL, {"doi_tuong": "diem-danh"}).content.decode()
    assert "Kỹ thuật nuôi cá – " in text  # the attendance audit of the archived class is kept and named
