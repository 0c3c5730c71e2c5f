"""Benchmark-scale data on top of the demo province: `python -m bench.scale --scale province|nation --years N`
(on an empty database: it runs seed_demo first; product code never imports bench).

province: the demo's 242 Thái Bình centres × N years × 62 classes × 8 sessions ≈ 150,000 classes and
          1.2 million sessions for N = 10 (DOMAIN.md: Thái Bình had 286 centres and 13,564 sessions in 2011;
          this is the same province run at a heavier, 8-sessions-a-class pace, as the issue asks).
nation:   the whole country: `seed_demo --scale nation [--provinces N]` (portal/national.py: every commune of
          both national lists, 2019 to today, ≈1 M sessions and 25 M participations a year, roster attendance,
          ratings, figures; docs/scaling.md). `--years` does not apply; `--provinces N` builds a smaller nation.
multiply: `sessions_multiply(factor)` copies every session (factor − 1) times in SQL, for the 4× check.

Classes and sessions go in through tthtcd_portal.bulk (COPY on PostgreSQL, a few hundred thousand rows a second;
executemany elsewhere). The figures are then rebuilt from the raw rows with courses.figures.figures_rebuild.
"""

from __future__ import annotations

import datetime
import os
import random

import django

if __name__ == "__main__":  # `python -m bench.scale`: Django is set up before the models below are imported
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
    django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.data import BENCH_COMMUNE_CODE, BENCH_ROSTER_TITLE  # noqa: E402
from centres.models import Centre  # noqa: E402
from courses.figures import figures_rebuild  # noqa: E402
from courses.models import ClassSession, Course, ProgrammeKind  # noqa: E402
from tthtcd_portal.bulk import insert_rows, next_id, reset_sequence  # noqa: E402
from units.models import Province  # noqa: E402

CLASSES_PER_CENTRE_YEAR = 62
SESSIONS_PER_CLASS = 8
TITLES = ["Chuyên đề pháp luật", "Khuyến nông", "Sức khỏe cộng đồng", "Tin học cơ bản", "Văn hóa – văn nghệ"]
COURSE_COLUMNS = [
    "id", "centre_id", "programme_kind_id", "title", "format", "instructor_names", "partner", "place",
    "start_date", "end_date", "planned_sessions", "created_at", "updated_at", "version",
]  # fmt: skip
SESSION_COLUMNS = [
    "id", "course_id", "date", "topic", "instructor_id", "instructor_name", "hours", "place", "present", "women",
    "minorities", "version",
]  # fmt: skip


@transaction.atomic
def generate(*, scale: str, years: int, log, seed: int = 2026) -> None:
    rng = random.Random(seed)
    centre_ids = list(Centre.objects.active().order_by("pk").values_list("pk", flat=True))
    kind_ids = list(ProgrammeKind.objects.values_list("pk", flat=True))
    last_year = timezone.localdate().year - 1
    now = timezone.now().isoformat()
    course_id = next_id(Course)
    session_id = next_id(ClassSession)
    courses, sessions = 0, 0
    for year in range(last_year - years + 1, last_year + 1):
        course_rows, session_rows = [], []
        for centre_id in centre_ids:
            for _ in range(CLASSES_PER_CENTRE_YEAR):
                start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 300))
                end = start + datetime.timedelta(days=7 * (SESSIONS_PER_CLASS - 1))
                title = rng.choice(TITLES)
                course_rows.append(
                    (course_id, centre_id, rng.choice(kind_ids), title, "talk", "", "", "", start, end,
                     SESSIONS_PER_CLASS, now, now, 1)
                )  # fmt: skip
                for week in range(SESSIONS_PER_CLASS):
                    present = rng.randint(20, 60)
                    session_rows.append(
                        (session_id, course_id, start + datetime.timedelta(days=7 * week), title, None, "", "2.0",
                         "", present, present * 6 // 10, present // 20, 1)
                    )  # fmt: skip
                    session_id += 1
                course_id += 1
        insert_rows(Course, COURSE_COLUMNS, course_rows)
        insert_rows(ClassSession, SESSION_COLUMNS, session_rows)
        courses += len(course_rows)
        sessions += len(session_rows)
        log(f"  {year}: {len(course_rows)} classes, {len(session_rows)} sessions")
    reset_sequence(Course)
    reset_sequence(ClassSession)
    log(f"  scale {scale}: {courses} classes and {sessions} sessions added; figures: {figures_rebuild()} rows")
    _analyze()


def vacuum(*, log=print) -> None:
    """VACUUM ANALYZE after the bulk load (outside any transaction): the visibility map lets the classes list's
    count read its index alone, as on a production database that autovacuum has long visited."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log("  vacuum analyze: done")


def _analyze() -> None:
    """Planner statistics for the rows just copied in (issue 18): without them PostgreSQL plans the classes
    list's count and sort as if the tables were empty (seconds instead of milliseconds) until autovacuum
    comes by, which a production database loaded over years has long had."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def sessions_multiply(*, factor: int, log) -> int:
    """Copy every session (factor − 1) times, same class and day: the data grows, the figures follow."""
    columns = ", ".join(f.column for f in ClassSession._meta.concrete_fields if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM courses_classsession")
        original_max = cursor.fetchone()[0]
        for _ in range(factor - 1):
            cursor.execute(
                f"INSERT INTO courses_classsession ({columns}) SELECT {columns} FROM courses_classsession "
                "WHERE id <= %s",
                [original_max],
            )
        cursor.execute("SELECT COUNT(*) FROM courses_classsession")
        total = cursor.fetchone()[0]
    log(f"  sessions ×{factor}: {total} sessions; figures: {figures_rebuild()} rows")
    _analyze()
    return total


@transaction.atomic
def bench_roster(*, log) -> int:
    """A roster class of demo_xa's centre with 60 enrolled learners and one session: the attendance grid the
    benchmark saves. Idempotent; returns the session id."""
    from courses.models import Enrolment, Learner

    centre = Centre.objects.active().get(commune__code=BENCH_COMMUNE_CODE)
    course = Course.objects.filter(centre=centre, title=BENCH_ROSTER_TITLE).first()
    if course is None:
        year = timezone.localdate().year
        course = Course.objects.create(
            centre=centre, programme_kind=ProgrammeKind.objects.get(code="xoa-mu-chu"), title=BENCH_ROSTER_TITLE,
            format=Course.Format.ROSTER, start_date=datetime.date(year, 1, 5), end_date=datetime.date(year, 12, 20),
            planned_sessions=40,
        )  # fmt: skip
        learners = Learner.objects.bulk_create(
            [
                Learner(centre=centre, full_name=f"Học viên đo {i + 1:02d}", gender=Learner.Gender.FEMALE if i % 2 else Learner.Gender.MALE)
                for i in range(60)
            ]
        )  # fmt: skip
        Enrolment.objects.bulk_create(
            [Enrolment(course=course, learner=learner, from_date=course.start_date) for learner in learners]
        )
        ClassSession.objects.create(course=course, date=datetime.date(year, 1, 12), topic="Buổi đo hiệu năng")
        figures_rebuild(centre_ids=[centre.pk])  # written in bulk above, so the centre's figures are recounted
    session = course.sessions.order_by("pk").first()
    log(f"  bench roster: class {course.pk}, session {session.pk}, {course.enrolments.count()} learners")
    return session.pk


def accounts_check(usernames, *, log) -> None:
    """Stop the run before the server starts when an account the pages log in as is missing (a database seeded
    before it existed, reused with --keep-db): a clean run seeds every one (seed_demo, portal/demo.py)."""
    from accounts.models import User

    missing = sorted(
        set(usernames) - set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    )
    if missing:
        raise SystemExit(f"accounts missing: {', '.join(missing)}; run without --keep-db to seed them")
    log(f"  accounts: {', '.join(usernames)}")


def load(*, scale: str, years: int, log, provinces: int | None = None) -> None:
    """The demo province and, on top, the data of `scale`, on an empty database; nothing on a loaded one."""
    from django.core.management import call_command

    if Province.objects.exists():
        log("Dữ liệu đã có sẵn; bỏ qua nạp dữ liệu quy mô.")
        return
    if scale == "nation":
        call_command("seed_demo", scale="nation", provinces=provinces)
        return
    call_command("seed_demo")
    if scale != "demo":
        generate(scale=scale, years=years, log=log)


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Benchmark data: the demo province and scale data on top of it.")
    parser.add_argument("--scale", choices=["demo", "province", "nation"], default="province")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--provinces", type=int, default=None, help="nation: the first N provinces of today's list")
    parser.add_argument("--multiply-sessions", type=int, default=0, help="on loaded data: every session × N")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
    django.setup()
    if args.multiply_sessions > 1:
        sessions_multiply(factor=args.multiply_sessions, log=print)
    else:
        load(scale=args.scale, years=args.years, log=print, provinces=args.provinces)


if __name__ == "__main__":
    main()
