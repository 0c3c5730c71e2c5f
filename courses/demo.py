"""Demo classes and sessions across the 2025 reform, at the provinces' real magnitudes.

The 381 former centres (Thái Bình and Hưng Yên) hold classes from 2015 to 30/06/2025 only; the 104 new centres
from 01/07/2025 to today, each about as busy as its predecessors together. About 20,000 sessions a year, growing
over the years, busier in some former districts than in others. Almost every class is an open talk with head
counts (inserted in bulk); the centre of Xã Bắc Đông Hưng (demo_xa) also gets roster classes with learners and
attendance so that the grids have something to show. About ten new centres have no session in the last 30 days
(the dashboard lists them). The figures are computed at the end from what was generated (figures_rebuild).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from centres.models import Centre, InstructorAssignment
from courses.figures import figures_rebuild
from courses.models import Attendance, ClassSession, Course, Enrolment, Learner, ProgrammeKind
from tthtcd_portal.bulk import insert_rows, next_id, reset_sequence
from units.models import REFORM_DATE

FIRST_YEAR = 2015
DEMO_COMMUNE_CODE = "12694"  # Xã Bắc Đông Hưng, which kept the code of the former Xã Đông Phương (demo_xa)
LAST_OLD_DAY = REFORM_DATE - datetime.timedelta(days=1)
QUIET_CENTRES = 10  # centres with no session in the last 30 days
# Rows go in as plain tuples (tthtcd_portal.bulk): the ORM's bulk_create spent most of the demo's load time.
COURSE_COLUMNS = [
    "id", "centre_id", "programme_kind_id", "title", "format", "instructor_names", "partner", "place",
    "start_date", "end_date", "planned_sessions",
]  # fmt: skip
SESSION_COLUMNS = [
    "id", "course_id", "date", "topic", "instructor_id", "instructor_name", "hours", "place", "present", "women",
    "minorities",
]  # fmt: skip

# Programme kind → (weight, titles).
KIND_TITLES = {
    "phap-luat": (
        25,
        [
            "Tuyên truyền Luật Đất đai",
            "Phổ biến Luật Hôn nhân và gia đình",
            "Luật Giao thông đường bộ",
            "Phòng, chống bạo lực gia đình",
            "Chính sách bảo hiểm xã hội tự nguyện",
            "Luật An ninh mạng",
        ],
    ),
    "khuyen-nong": (
        25,
        [
            "Kỹ thuật trồng lúa chất lượng cao",
            "Chăn nuôi lợn an toàn sinh học",
            "Phòng trừ sâu bệnh hại lúa vụ mùa",
            "Nuôi trồng thủy sản nước ngọt",
            "Trồng rau an toàn theo VietGAP",
            "Kỹ thuật trồng nấm rơm",
        ],
    ),
    "suc-khoe": (
        15,
        [
            "Phòng, chống sốt xuất huyết",
            "Chăm sóc sức khỏe người cao tuổi",
            "Dinh dưỡng cho trẻ dưới 5 tuổi",
            "Vệ sinh an toàn thực phẩm",
        ],
    ),
    "khoa-hoc-cong-nghe": (
        9,
        ["Sử dụng điện thoại thông minh", "Chuyển đổi số cho hộ kinh doanh", "Ứng dụng tiến bộ kỹ thuật mới"],
    ),
    "van-hoa-the-thao": (8, ["Câu lạc bộ chèo", "Câu lạc bộ dưỡng sinh", "Xây dựng gia đình văn hóa"]),
    "xoa-mu-chu": (2, ["Lớp xóa mù chữ"]),
    "sau-biet-chu": (3, ["Lớp giáo dục tiếp tục sau khi biết chữ"]),
    "nghe-ngan-han": (4, ["Sơ cấp nghề may công nghiệp", "Nghề thêu ren truyền thống"]),
    "tin-hoc-ngoai-ngu": (4, ["Tin học văn phòng cơ bản", "Tiếng Anh giao tiếp"]),
    "khac": (5, ["Kỹ năng sống cho thanh thiếu niên", "Phòng cháy, chữa cháy tại gia đình"]),
}
PARTNERS = [
    "Hội Nông dân xã",
    "Trạm Khuyến nông huyện",
    "Hội Liên hiệp Phụ nữ xã",
    "Trạm Y tế xã",
    "Đoàn Thanh niên xã",
    "Hội Cựu chiến binh xã",
    "Công an xã",
    "Hội Khuyến học xã",
]
PLACES = [
    "Hội trường UBND xã",
    "Trụ sở TTHTCĐ",
    "Nhà văn hóa thôn Đông",
    "Nhà văn hóa thôn Nam",
    "Nhà văn hóa thôn Bắc",
]
INSTRUCTORS = [
    "Nguyễn Văn Hùng",
    "Trần Thị Hoa",
    "Phạm Văn Long",
    "Vũ Thị Lan",
    "Đỗ Văn Thắng",
    "Bùi Thị Hằng",
    "Hoàng Văn Nam",
    "Lê Thị Thu",
]
# Speakers from outside the centre's instructor list (free text), about one class in five.
GUEST_SHARE = 0.2
GUESTS = [
    "Cán bộ Trạm Khuyến nông huyện",
    "Báo cáo viên Ban Tuyên giáo huyện ủy",
    "Bác sĩ Trung tâm Y tế huyện",
    "Cán bộ Phòng Tư pháp huyện",
    "Kỹ sư Công ty Giống cây trồng Thái Bình",
]
# Programme kind → the instructor fields (centres.demo.FIELDS) that teach it; other kinds: anyone.
KIND_FIELDS = {
    "khuyen-nong": ("trồng trọt", "chăn nuôi, thú y", "nuôi trồng thủy sản"),
    "phap-luat": ("pháp luật", "an toàn giao thông"),
    "suc-khoe": ("y tế, chăm sóc sức khỏe", "dân số, kế hoạch hóa gia đình"),
    "xoa-mu-chu": ("xóa mù chữ",),
    "sau-biet-chu": ("xóa mù chữ",),
    "tin-hoc-ngoai-ngu": ("tin học",),
    "khoa-hoc-cong-nghe": ("tin học",),
    "van-hoa-the-thao": ("văn hóa, văn nghệ",),
    "nghe-ngan-han": ("nghề mây tre đan",),
}


class _InstructorPicker:
    """Picks a class's teacher among its centre's active instructors, preferring those whose field fits the
    programme kind; sometimes a guest (text). Its own generator, so the shared `rng` advances as before."""

    def __init__(self, seed: int = 2026):
        self.random = random.Random(seed)
        self.by_centre: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        rows = InstructorAssignment.objects.filter(active=True).values_list(
            "centre_id", "instructor_id", "instructor__field"
        )
        for centre_id, instructor_id, field in rows.order_by("centre_id", "instructor_id"):
            self.by_centre[centre_id][field].append(instructor_id)
            self.by_centre[centre_id][""].append(instructor_id)

    def pick(self, centre_id: int, kind_code: str) -> tuple[int | None, str]:
        """(instructor id, "") or (None, a guest's description)."""
        fields = self.by_centre.get(centre_id, {})
        pool = [i for f in KIND_FIELDS.get(kind_code, ()) for i in fields.get(f, [])] or fields.get("", [])
        if not pool or self.random.random() < GUEST_SHARE:
            return None, self.random.choice(GUESTS)
        return self.random.choice(pool), ""


SURNAMES = ["Nguyễn", "Trần", "Phạm", "Vũ", "Đỗ", "Bùi", "Hoàng", "Lê", "Đặng", "Ngô"]
WOMEN_NAMES = ["Thị Hoa", "Thị Lan", "Thị Thu", "Thị Hằng", "Thị Mai", "Thị Nga", "Thị Huệ", "Thị Hương", "Thị Yến"]
MEN_NAMES = ["Văn Hùng", "Văn Nam", "Văn Long", "Văn Thắng", "Văn Bình", "Văn Tuấn", "Đức Minh", "Văn Sơn"]
VILLAGES = ["Thôn Đông", "Thôn Nam", "Thôn Bắc", "Thôn Đoài", "Thôn Trung"]
HOURS = [Decimal("1.5"), Decimal("2.0"), Decimal("2.0"), Decimal("3.0")]


def _growth(year: int) -> float:
    return 0.95 + 0.01 * (year - FIRST_YEAR)


def seed(*, rng, log) -> None:
    today = timezone.localdate()
    kinds = {k.code: k.pk for k in ProgrammeKind.objects.all()}
    kind_codes = [code for code in KIND_TITLES if code in kinds]
    weights = [KIND_TITLES[code][0] for code in kind_codes]
    # The former centres (to 30/06/2025) and the centres open today (from 01/07/2025 for the new communes).
    centres = list(
        Centre.objects.filter(commune__valid_from__lt=REFORM_DATE).select_related("commune").order_by("pk")
    ) + list(
        Centre.objects.active().filter(commune__valid_from__gte=REFORM_DATE).select_related("commune").order_by("pk")
    )
    district_factor = {}
    for centre in centres:
        if centre.commune.district_id:
            district_factor.setdefault(centre.commune.district_id, rng.uniform(0.75, 1.3))
    # A new centre is about as busy as its predecessors were together (a little less: fewer, bigger classes).
    predecessors: dict[int, list[int]] = defaultdict(list)
    for centre in centres:
        if centre.merged_into_id:
            predecessors[centre.merged_into_id].append(centre.commune.district_id)
    scale = {}
    for centre in centres:
        if centre.commune.district_id:
            scale[centre.pk] = (district_factor[centre.commune.district_id], 1.0, FIRST_YEAR, LAST_OLD_DAY)
        else:
            parts = predecessors.get(centre.pk) or [None]
            mean = sum(district_factor.get(d, 1.0) for d in parts) / len(parts)
            scale[centre.pk] = (mean, len(parts) ** 0.9, REFORM_DATE.year, today)
    demo_centre = next((c for c in centres if c.commune.code == DEMO_COMMUNE_CODE and c.is_active), None)
    today_centres = [c for c in centres if c.is_active and c is not demo_centre]
    quiet = {c.pk for c in rng.sample(today_centres, min(QUIET_CENTRES, len(today_centres)))}

    picker = _InstructorPicker()
    course_id = next_id(Course)
    plan = []  # (course row in COURSE_COLUMNS order, instructor id or None, [(date, present, women, minorities)])
    for centre in centres:
        district, size, first_year, until = scale[centre.pk]
        factor = district * size * rng.uniform(0.85, 1.15)
        for year in range(first_year, min(until.year, today.year) + 1):
            first = datetime.date(year, 1, 5)
            last = datetime.date(year, 12, 28)
            if year == REFORM_DATE.year:
                first, last = (first, LAST_OLD_DAY) if until == LAST_OLD_DAY else (REFORM_DATE, last)
            if year == today.year:
                last = min(last, today - datetime.timedelta(days=rng.randint(40, 120)) if centre.pk in quiet else today)
            if last < first:
                continue
            share = (last - first).days / 357
            sessions = max(int(56.5 * _growth(year) * factor * share), 1)
            classes = max(min(round(sessions / 1.8), round(68 * size)), min(28, sessions))
            counts = [1] * classes
            for _ in range(sessions - classes):
                counts[rng.randrange(classes)] += 1
            span = (last - first).days
            for i, k in enumerate(counts):
                gap = 7 if 7 * (k - 1) < span else 1
                if year == today.year and until == today and centre.pk not in quiet and i == 0:
                    start = today - datetime.timedelta(days=rng.randint(0, 20) + gap * (k - 1))
                else:
                    start = first + datetime.timedelta(days=rng.randint(0, max(span - gap * (k - 1), 0)))
                code = rng.choices(kind_codes, weights)[0]
                title = rng.choice(KIND_TITLES[code][1])
                rng.choice(INSTRUCTORS)  # the draw the free-text names used to take: later steps see the same rng
                instructor_id, guest = picker.pick(centre.pk, code)
                course = (
                    course_id,
                    centre.pk,
                    kinds[code],
                    title,
                    Course.Format.TALK.value,
                    guest,
                    rng.choice(PARTNERS),
                    rng.choice(PLACES),
                    start,
                    start + datetime.timedelta(days=gap * (k - 1)),
                    k,
                )
                course_id += 1
                rows = []
                for j in range(k):
                    present = int(rng.triangular(30, 200, 90))
                    rows.append(
                        (
                            start + datetime.timedelta(days=gap * j),
                            present,
                            int(present * rng.uniform(0.45, 0.7)),
                            int(present * rng.uniform(0, 0.03)),
                        )
                    )
                plan.append((course, instructor_id, rows))
    insert_rows(Course, COURSE_COLUMNS, (course for course, _, _ in plan))
    links = [(course[0], i) for course, i, _ in plan if i is not None]
    insert_rows(Course.instructors.through, ["course_id", "instructor_id"], links)
    session_id = next_id(ClassSession)
    sessions = []
    for course, instructor_id, rows in plan:
        course_id, title, guest, place = course[0], course[3], course[5], course[7]
        for day, present, women, minorities in rows:
            hours = HOURS[present % 4]
            sessions.append(
                (session_id, course_id, day, title, instructor_id, guest, hours, place, present, women, minorities)
            )
            session_id += 1
    insert_rows(ClassSession, SESSION_COLUMNS, sessions)
    for model in (Course, Course.instructors.through, ClassSession):
        reset_sequence(model)
    log(f"  courses: {len(plan)} classes ({len(links)} taught by the centre's instructors), {len(sessions)} sessions")
    if demo_centre is not None:
        _seed_rosters(centre=demo_centre, kinds=kinds, rng=rng, today=today, log=log)
    log(f"  figures: {figures_rebuild()} rows")


def _seed_rosters(*, centre: Centre, kinds: dict, rng, today: datetime.date, log) -> None:
    """Roster classes with learners and attendance for the demo centre (Xã Bắc Đông Hưng), all from 01/07/2025."""
    learners = []
    for _ in range(45):
        woman = rng.random() < 0.6
        given = rng.choice(WOMEN_NAMES if woman else MEN_NAMES)
        learners.append(
            Learner(
                centre=centre,
                full_name=f"{rng.choice(SURNAMES)} {given}",
                gender=Learner.Gender.FEMALE if woman else Learner.Gender.MALE,
                birth_year=rng.randint(1950, 2008),
                village=rng.choice(VILLAGES),
            )
        )
    learners[7].ethnicity, learners[7].is_minority = "Mường", True
    Learner.objects.bulk_create(learners)
    specs = [
        ("xoa-mu-chu", "Lớp xóa mù chữ khóa 2026", datetime.date(2026, 9, 7), datetime.date(2026, 12, 25), 25),
        (
            "tin-hoc-ngoai-ngu",
            "Tin học cơ bản cho người cao tuổi",
            datetime.date(2026, 3, 2),
            datetime.date(2026, 5, 29),
            18,
        ),
        ("tin-hoc-ngoai-ngu", "Tiếng Anh giao tiếp", datetime.date(2025, 7, 7), datetime.date(2025, 9, 26), 20),
    ]
    teacher = (
        InstructorAssignment.objects.filter(centre=centre, active=True)
        .select_related("instructor")
        .order_by("instructor__full_name", "instructor_id")
        .first()
    )
    teacher = teacher.instructor if teacher else None
    for code, title, start, end, size in specs:
        if start > today:
            continue
        course = Course.objects.create(
            centre=centre,
            programme_kind_id=kinds[code],
            title=title,
            format=Course.Format.ROSTER,
            instructor_names="" if teacher else "Trần Thị Hoa",
            partner="Hội Khuyến học xã",
            place="Trụ sở TTHTCĐ",
            start_date=start,
            end_date=end,
            planned_sessions=(end - start).days // 7 + 1,
        )
        if teacher:
            course.instructors.add(teacher)
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(course=course, learner=lr, from_date=start) for lr in rng.sample(learners, size)]
        )
        day = start
        while day <= min(end, today):
            session = ClassSession.objects.create(
                course=course,
                date=day,
                topic=title,
                instructor=teacher,
                instructor_name=course.instructor_names,
                hours=Decimal("2.0"),
            )
            marks = [Attendance(session=session, enrolment=e, present=rng.random() < 0.85) for e in enrolments]
            Attendance.objects.bulk_create(marks)
            here = [m.enrolment.learner for m in marks if m.present]
            session.present = len(here)
            session.women = sum(lr.gender == Learner.Gender.FEMALE for lr in here)
            session.minorities = sum(lr.is_minority for lr in here)
            session.save(update_fields=["present", "women", "minorities"])
            day += datetime.timedelta(days=7)
    log(f"  roster classes for {centre}: {len(specs)}, learners: {len(learners)}")
