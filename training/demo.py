"""Demo training courses (seed_demo, after the registry and the accounts): a course held last spring for the
demo district's boards, with about two thirds of each invited board recorded present, and one planned for next
month. Bulk inserts: well under a second."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import DEMO_DISTRICT_CODE, demo_province
from accounts.models import User
from centres.models import BoardMember, Centre, InstructorAssignment
from training.models import TrainingAttendance, TrainingCourse, TrainingInvitation


def seed(*, rng, log) -> None:
    province = demo_province()
    official = User.objects.filter(role=User.Role.PROVINCE, province=province).order_by("id").first()
    if official is None:
        log("  training: no provincial account, no demo course.")
        return
    today = timezone.localdate()
    held = datetime.date(today.year, 4, 8) if today.month > 4 else datetime.date(today.year - 1, 10, 14)
    past = TrainingCourse.objects.create(
        province=province,
        title="Tập huấn nâng cao năng lực quản lý TTHTCĐ",
        topic="Lập kế hoạch, quản lý tài chính và tự đánh giá trung tâm",
        organiser=TrainingCourse.Organiser.JOINT,
        audience=TrainingCourse.Audience.BOTH,
        place="Hội trường Sở GD&ĐT Hưng Yên",
        start_date=held,
        end_date=held + datetime.timedelta(days=1),
        created_by=official,
    )
    TrainingCourse.objects.create(
        province=province,
        title="Bồi dưỡng phương pháp dạy học cho người lớn",
        topic="Phương pháp dạy học tích cực, tổ chức chuyên đề",
        organiser=TrainingCourse.Organiser.ASSOCIATION,
        audience=TrainingCourse.Audience.INSTRUCTORS,
        place="Trung tâm GDNN-GDTX huyện Đông Hưng",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
        created_by=official,
    )
    # The new centres of the communes formed from the former Huyện Đông Hưng (demo_huyen's cluster).
    centres = list(
        Centre.objects.active()
        .filter(predecessors__commune__district__code=DEMO_DISTRICT_CODE)
        .distinct()
        .order_by("commune__code")
    )
    TrainingInvitation.objects.bulk_create([TrainingInvitation(course=past, centre=c) for c in centres])
    rows = []
    for member in BoardMember.objects.filter(centre__in=centres).on_date(past.end_date).order_by("id"):
        if rng.random() < 0.67:
            rows.append(
                TrainingAttendance(
                    course=past, centre_id=member.centre_id, role="board", board_member=member, recorded_by=official
                )
            )
    seen = set()
    for link in InstructorAssignment.objects.filter(centre__in=centres, active=True).order_by("id"):
        if link.instructor_id not in seen and rng.random() < 0.3:
            seen.add(link.instructor_id)
            rows.append(
                TrainingAttendance(
                    course=past,
                    centre_id=link.centre_id,
                    role="instructor",
                    instructor_id=link.instructor_id,
                    recorded_by=official,
                )
            )
    TrainingAttendance.objects.bulk_create(rows)
    log(f"  training: 2 courses, {len(centres)} centres invited, {len(rows)} attendees")
