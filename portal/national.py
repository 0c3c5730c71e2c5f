"""The nation at scale: every commune of both national lists, 2019 to today across the 2025 reform
(`seed_demo --scale nation [--provinces N]`; `python -m bench.scale --scale nation` calls the same command).

What it builds, on top of the demo province (seed_demo loads it first; its centres keep their own classes):

- units: the national legacy list (63 provinces, 691 districts, 10,051 communes), the 2025 list (34 provinces,
  3,321 communes) and the mapping (`--end-unmapped`: the 28 communes it does not name end without successor),
  through the same services as `import_admin_units` / `import_commune_mapping`. `provinces=N`: the first N
  provinces of the 2025 list with the former communes that went into them (and so their former provinces);
- offices: a Phòng GD&ĐT per former district, a Sở per province of the 2025 list;
- centres: one per former commune (to 30/06/2025), merged on 01/07/2025 into the centre of its new commune by
  the mapping (which opens one centre per new commune);
- activity, 2019 to today: about 100 sessions a centre-year before the reform (≈10,000 centres) and 300 after
  (3,321 centres), i.e. about 1 M sessions and 25 M learner-participations a year nationally (mean head
  count 25). Most classes are open talks (1–4 sessions, head counts); ROSTER_CLASSES per centre-year (1
  before, 3 after the reform: about 2 % of classes, 10 % of sessions) are roster classes of 10 weekly
  sessions with 15 enrolled learners and one attendance row per learner per session, the session's head
  counts derived from them. Rows go in through tthtcd_portal.bulk (COPY on PostgreSQL);
- ratings: each province has its own rubric per year (a former province 2019–2024, today's from 2025, copied
  from a predecessor by the rubric service; thresholds differ per province), and every centre rated
  and approved: the former centres 2019–2024, the new centres 2025 (assessment and points per criterion, in
  bulk; the workflow's events are not written);
- figures: courses.figures.figures_rebuild (set-based).

Product code: bench is never imported (pyproject's no-bench contract); the lists are arguments so that a test
builds a tiny nation.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import office_name_for
from accounts.models import Office
from centres.mapping import parse_commune_mapping
from centres.models import RATING_ORDER, Centre, Rating
from centres.services import centres_open, commune_mapping_apply
from courses.demo import COURSE_COLUMNS, KIND_TITLES, PARTNERS, PLACES, SESSION_COLUMNS
from courses.figures import figures_rebuild
from courses.models import Attendance, CentreYearFigure, ClassSession, Course, Enrolment, Learner, ProgrammeKind
from evaluations import services as evaluation_services
from evaluations.models import Assessment, CriterionScore, EvaluationCycle, RatingThreshold, Rubric
from tthtcd_portal.bulk import insert_rows, next_id, reset_sequence
from units.gso import parse_gso
from units.models import REFORM_DATE, District, Province
from units.services import admin_units_import

FIRST_YEAR = 2019
LAST_OLD_DAY = REFORM_DATE - datetime.timedelta(days=1)
DATA = Path(settings.BASE_DIR) / "units" / "data"
# Sessions a centre holds in a full year, before and after the reform (a new centre serves 3 former communes).
SESSIONS_PER_YEAR = {"old": 100, "new": 300}
ROSTER_CLASSES = {"old": 1, "new": 3}
ROSTER_SESSIONS, ROSTER_SIZE = 10, 15
LEARNER_POOL = {"old": 20, "new": 45}
ROSTER_KINDS = ["xoa-mu-chu", "sau-biet-chu", "nghe-ngan-han", "tin-hoc-ngoai-ngu"]
TALK_LENGTHS = [1, 1, 2, 2, 3, 4]  # sessions of an open talk series: 2.2 on average
FLUSH_SESSIONS = 300_000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
WOMEN = ["Thị Hoa", "Thị Lan", "Thị Thu", "Thị Hằng", "Thị Mai", "Thị Nga", "Thị Hương", "Thị Yến"]
MEN = ["Văn Hùng", "Văn Nam", "Văn Long", "Văn Thắng", "Văn Bình", "Đức Minh", "Văn Sơn", "Quang Huy"]
MINORITIES = ["Tày", "Thái", "Mường", "Khmer", "H'Mông", "Nùng"]
LEARNER_COLUMNS = ["id", "centre_id", "full_name", "gender", "birth_year", "ethnicity", "is_minority", "village"]
ENROLMENT_COLUMNS = ["id", "course_id", "learner_id", "from_date"]
ATTENDANCE_COLUMNS = ["session_id", "enrolment_id", "present"]
ASSESSMENT_COLUMNS = [
    "id", "centre_id", "year", "status", "self_score", "review_score", "proposed_rating", "rating", "rubric_id",
    "version", "submitted_at", "proposed_at", "approved_at",
]  # fmt: skip
SCORE_COLUMNS = ["assessment_id", "criterion_id", "self_points", "self_note", "review_points", "review_comment"]
HALF = Decimal("0.5")
NINE = datetime.time(9)


@dataclass(frozen=True)
class NationalLists:
    legacy: Path = DATA / "gso_legacy_vn.csv"
    new: Path = DATA / "gso_2025_vn.csv"
    mapping: Path = DATA / "commune_mapping_2025_vn.csv"


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _csv(header: list[str], rows: list[dict]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def _cut(lists: NationalLists, provinces: int | None):
    """The three files as file objects — whole, or the first `provinces` provinces of the 2025 list with the
    former communes the mapping sends into them — and the codes of the former and new communes they hold."""
    new_header, new_rows = _read(lists.new)
    map_header, map_rows = _read(lists.mapping)
    legacy_header, legacy_rows = _read(lists.legacy)
    if provinces:
        codes: list[str] = []
        for row in new_rows:
            if row["Mã TP"] not in codes:
                codes.append(row["Mã TP"])
        kept = set(codes[:provinces])
        new_rows = [r for r in new_rows if r["Mã TP"] in kept]
        new_communes = {r["Mã PX"] for r in new_rows}
        map_rows = [r for r in map_rows if r["new_ward_code"] in new_communes]
        old_communes = {r["old_ward_code"] for r in map_rows}
        legacy_rows = [r for r in legacy_rows if r["Mã PX"] in old_communes]
    files = _csv(legacy_header, legacy_rows), _csv(new_header, new_rows), _csv(map_header, map_rows)
    return files, {r["Mã PX"] for r in legacy_rows}, {r["Mã PX"] for r in new_rows}


def _units(lists: NationalLists, provinces: int | None, log) -> tuple[set[str], set[str]]:
    (legacy, new, mapping), old_codes, new_codes = _cut(lists, provinces)
    for name, handle in (("legacy.csv", legacy), ("new.csv", new)):
        result = admin_units_import(gso=parse_gso(handle, name))
        log(f"    {name}: {result.summary()}".replace("\n", "; "))
    rows = parse_commune_mapping(mapping, "mapping.csv")
    # Centres of every former commune first, so that the mapping merges them into the new communes' centres.
    _offices(old_codes=old_codes, log=log)
    _old_centres(old_codes=old_codes, log=log)
    result = commune_mapping_apply(rows=rows, by=None, end_unmapped=True)
    log("    mapping: " + result.summary().replace("\n", "; "))
    _new_centres_without_predecessor(new_codes=new_codes, log=log)
    return old_codes, new_codes


def _offices(*, old_codes: set[str], log) -> None:
    """A Phòng GD&ĐT per former district and a Sở per province of the 2025 list, where there is none."""
    from units.models import Commune

    district_ids = set(
        Commune.objects.filter(code__in=old_codes, valid_from__lt=REFORM_DATE).values_list("district_id", flat=True)
    )
    have = set(Office.objects.filter(district_id__in=district_ids).values_list("district_id", flat=True))
    offices = [
        Office(province_id=d.province_id, name=office_name_for(d), kind=Office.Kind.DISTRICT, district=d)
        for d in District.objects.filter(pk__in=district_ids - have).order_by("code")
    ]
    with_department = set(Office.objects.filter(kind=Office.Kind.DEPARTMENT).values_list("province_id", flat=True))
    for province in Province.objects.filter(valid_from__gte=REFORM_DATE).exclude(pk__in=with_department):
        short = province.name.split(" ", 2 if province.name.startswith("Thành phố") else 1)[-1]
        offices.append(Office(province=province, name=f"Sở GD&ĐT {short}", kind=Office.Kind.DEPARTMENT))
    Office.objects.bulk_create(offices, ignore_conflicts=True)
    log(f"    offices: {len(offices)} added")


def _old_centres(*, old_codes: set[str], log) -> None:
    from units.models import Commune

    communes = list(
        Commune.objects.filter(code__in=old_codes, valid_from__lt=REFORM_DATE)
        .exclude(centres__isnull=False)
        .order_by("code")
    )
    offices = dict(Office.objects.filter(district__isnull=False).values_list("district_id", "pk"))
    office_objects = {o.pk: o for o in Office.objects.filter(pk__in=set(offices.values()))}
    review = {c.pk: office_objects.get(offices.get(c.district_id)) for c in communes}
    centres_open(communes=communes, review_offices=review, by=None)
    log(f"    former centres: {len(communes)} opened")


def _new_centres_without_predecessor(*, new_codes: set[str], log) -> None:
    """A centre for each new commune the mapping names no former commune of (the special zones made of island
    districts that had no communes), reviewed by its province's Sở."""
    from units.models import Commune

    communes = list(
        Commune.objects.filter(code__in=new_codes, valid_from__gte=REFORM_DATE)
        .exclude(centres__status=Centre.Status.ACTIVE)
        .order_by("code")
    )
    departments = {o.province_id: o for o in Office.objects.filter(kind=Office.Kind.DEPARTMENT).order_by("pk")}
    centres_open(communes=communes, review_offices={c.pk: departments.get(c.province_id) for c in communes}, by=None)
    log(f"    new communes without a former commune: {len(communes)} centres opened")


@dataclass(frozen=True)
class _Unit:
    centre_id: int
    province_id: int
    era: str  # "old" (to 30/06/2025) or "new" (from 01/07/2025)


def _activity_centres(old_codes: set[str], new_codes: set[str]) -> list[_Unit]:
    """The centres to fill: the former communes' and the new communes' of this run, without classes yet (the
    demo province's have theirs)."""
    busy = set(Course.all_objects.order_by().values_list("centre_id", flat=True).distinct())
    units = []
    for era, filters in (
        ("old", {"commune__code__in": old_codes, "commune__valid_from__lt": REFORM_DATE}),
        (
            "new",
            {"commune__code__in": new_codes, "commune__valid_from__gte": REFORM_DATE, "status": Centre.Status.ACTIVE},
        ),
    ):
        for pk, province_id in (
            Centre.objects.filter(**filters).order_by("commune__province__code", "commune__code")
            .values_list("pk", "commune__province_id")
        ):  # fmt: skip
            if pk not in busy:
                units.append(_Unit(pk, province_id, era))
    return units


class _Writer:
    """Rows of every table, with ids handed out here, written in batches through tthtcd_portal.bulk."""

    def __init__(self) -> None:
        self.course_id = next_id(Course)
        self.session_id = next_id(ClassSession)
        self.learner_id = next_id(Learner)
        self.enrolment_id = next_id(Enrolment)
        self.rows: dict[str, list] = defaultdict(list)
        self.totals: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def flush(self) -> None:
        """Write what is gathered, in a transaction of its own (the foreign keys' deferred checks stay a
        batch's, not the whole nation's)."""
        for key, model, columns in (
            ("courses", Course, COURSE_COLUMNS),
            ("sessions", ClassSession, SESSION_COLUMNS),
            ("learners", Learner, LEARNER_COLUMNS),
            ("enrolments", Enrolment, ENROLMENT_COLUMNS),
            ("attendance", Attendance, ATTENDANCE_COLUMNS),
        ):
            rows = self.rows.pop(key, [])
            if rows:
                started = time.monotonic()
                with transaction.atomic():
                    self.totals[key] += insert_rows(model, columns, rows)
                self.seconds[key] += time.monotonic() - started

    def finish(self) -> None:
        self.flush()
        for model in (Course, ClassSession, Learner, Enrolment, Attendance):
            reset_sequence(model)


def _activity(units: list[_Unit], *, rng: random.Random, today: datetime.date, first_year: int, log) -> dict:
    kinds = {k.code: k.pk for k in ProgrammeKind.objects.all()}
    talk_codes = [c for c in KIND_TITLES if c in kinds]
    talk_weights = [KIND_TITLES[c][0] for c in talk_codes]
    roster_codes = [c for c in ROSTER_KINDS if c in kinds] or talk_codes
    province_factor: dict[int, float] = {}
    out = _Writer()
    talk = Course.Format.TALK.value
    roster = Course.Format.ROSTER.value
    hours = Decimal("2.0")
    for unit in units:
        factor = province_factor.setdefault(unit.province_id, rng.uniform(0.75, 1.25)) * rng.uniform(0.7, 1.3)
        if unit.era == "old":
            periods = [
                (datetime.date(y, 1, 2), min(datetime.date(y, 12, 28), LAST_OLD_DAY))
                for y in range(first_year, REFORM_DATE.year + 1)
            ]
        else:
            periods = [
                (max(datetime.date(y, 1, 2), REFORM_DATE), min(datetime.date(y, 12, 28), today))
                for y in range(REFORM_DATE.year, today.year + 1)
            ]
        pool = []
        for _ in range(LEARNER_POOL[unit.era]):
            woman = rng.random() < 0.6
            minority = rng.random() < 0.1
            pool.append((out.learner_id, woman, minority))
            out.rows["learners"].append(
                (
                    out.learner_id, unit.centre_id,
                    f"{rng.choice(SURNAMES)} {rng.choice(WOMEN if woman else MEN)}",
                    Learner.Gender.FEMALE.value if woman else Learner.Gender.MALE.value,
                    rng.randint(1950, 2008), rng.choice(MINORITIES) if minority else "Kinh", minority, "",
                )
            )  # fmt: skip
            out.learner_id += 1
        for first, last in periods:
            span = (last - first).days
            if span < 0:
                continue
            share = (span + 1) / 361
            budget = max(int(SESSIONS_PER_YEAR[unit.era] * share * factor), 1)
            rosters = int(ROSTER_CLASSES[unit.era] * share + rng.random())
            # Roster classes: weekly sessions, attendance per learner.
            for _ in range(rosters):
                if budget < ROSTER_SESSIONS or span < 7 * (ROSTER_SESSIONS - 1):
                    break
                budget -= ROSTER_SESSIONS
                start = first + datetime.timedelta(days=rng.randint(0, span - 7 * (ROSTER_SESSIONS - 1)))
                code = rng.choice(roster_codes)
                title = KIND_TITLES.get(code, (0, ["Lớp học"]))[1][0]
                course_id = out.course_id
                out.course_id += 1
                out.rows["courses"].append(
                    (course_id, unit.centre_id, kinds[code], title, roster, "Giáo viên của trung tâm",
                     rng.choice(PARTNERS), "Trụ sở TTHTCĐ", start,
                     start + datetime.timedelta(days=7 * (ROSTER_SESSIONS - 1)), ROSTER_SESSIONS)
                )  # fmt: skip
                enrolled = []
                for learner_id, woman, minority in rng.sample(pool, min(ROSTER_SIZE, len(pool))):
                    enrolled.append((out.enrolment_id, woman, minority))
                    out.rows["enrolments"].append((out.enrolment_id, course_id, learner_id, start))
                    out.enrolment_id += 1
                for week in range(ROSTER_SESSIONS):
                    session_id = out.session_id
                    out.session_id += 1
                    present = women = minorities = 0
                    for enrolment_id, woman, minority in enrolled:
                        here = rng.random() < 0.85
                        out.rows["attendance"].append((session_id, enrolment_id, here))
                        if here:
                            present += 1
                            women += woman
                            minorities += minority
                    out.rows["sessions"].append(
                        (session_id, course_id, start + datetime.timedelta(days=7 * week), title, None, "", hours,
                         "Trụ sở TTHTCĐ", present, women, minorities)
                    )  # fmt: skip
            # Open talks: head counts only.
            while budget > 0:
                k = min(rng.choice(TALK_LENGTHS), budget)
                budget -= k
                gap = 7 if 7 * (k - 1) <= span else 1
                start = first + datetime.timedelta(days=rng.randint(0, max(span - gap * (k - 1), 0)))
                code = rng.choices(talk_codes, talk_weights)[0]
                title = rng.choice(KIND_TITLES[code][1])
                place = rng.choice(PLACES)
                course_id = out.course_id
                out.course_id += 1
                out.rows["courses"].append(
                    (course_id, unit.centre_id, kinds[code], title, talk, "", rng.choice(PARTNERS), place, start,
                     start + datetime.timedelta(days=gap * (k - 1)), k)
                )  # fmt: skip
                for j in range(k):
                    present = int(rng.triangular(8, 60, 8))  # mean ≈ 25
                    out.rows["sessions"].append(
                        (out.session_id, course_id, start + datetime.timedelta(days=gap * j), title, None, "", hours,
                         place, present, present * 11 // 20, present // 12)
                    )  # fmt: skip
                    out.session_id += 1
        if len(out.rows["sessions"]) >= FLUSH_SESSIONS:
            out.flush()
            log(f"    … {out.totals['sessions']:,} sessions")
    out.finish()
    log("    written: " + ", ".join(f"{k} {out.totals[k]:,} in {s:.1f} s" for k, s in out.seconds.items()))
    return dict(out.totals)


def _points(rng: random.Random, criteria: list, share: float) -> dict[int, Decimal]:
    points = {}
    for c in criteria:
        value = (c.max_points * Decimal(share + rng.uniform(-0.06, 0.06)) / HALF).quantize(Decimal(1)) * HALF
        points[c.pk] = min(max(value, Decimal(0)), c.max_points)
    return points


def _rubrics(province_years: set[tuple[int, int]], rng: random.Random) -> dict[tuple[int, int], Rubric]:
    """Each province's rubric of each year (created where missing: the first a province's own copy of the
    default with its own title and thresholds, later years copies of the year before, a new province's first
    a copy of a predecessor's), with its evaluation cycle."""
    existing = {(r.province_id, r.year): r for r in Rubric.objects.filter(year__in={y for _, y in province_years})}
    created = []
    provinces = {p.pk: p for p in Province.objects.filter(pk__in={p for p, _ in province_years})}
    for province_id, year in sorted(province_years, key=lambda k: (k[1], provinces[k[0]].code)):
        if (province_id, year) in existing:
            continue
        province = provinces[province_id]
        has_own = Rubric.objects.filter(province=province).exists()
        rubric = evaluation_services.rubric_create_for_year(province=province, year=year, by=None)
        if not has_own:
            rubric.title = f"Bộ tiêu chí đánh giá TTHTCĐ {province.name}"
            rubric.is_starter = False
            rubric.save(update_fields=["title", "is_starter"])
            # The province's own bar for Tốt and Khá (provinces set theirs between 80–90 and 65–75 points).
            RatingThreshold.objects.filter(rubric=rubric, rating=Rating.TOT).update(min_total=rng.choice([80, 85, 90]))
            RatingThreshold.objects.filter(rubric=rubric, rating=Rating.KHA).update(min_total=rng.choice([65, 70, 75]))
        existing[province_id, year] = rubric
        created.append(rubric.pk)
    have_cycle = set(EvaluationCycle.objects.values_list("province_id", "year"))
    EvaluationCycle.objects.bulk_create(
        EvaluationCycle(
            province_id=p, year=y, self_assessment_due=datetime.date(y + 1, 3, 15),
            review_due=datetime.date(y + 1, 4, 10), approval_due=datetime.date(y + 1, 5, 15),
        )
        for p, y in sorted(province_years - have_cycle)
    )  # fmt: skip
    Rubric.objects.filter(pk__in=created, year__lte=REFORM_DATE.year, frozen_at__isnull=True).update(
        frozen_at=timezone.now()
    )  # rated and approved: frozen, as the first submission freezes a rubric
    return {k: existing[k] for k in province_years}, len(created)


def _ratings(units: list[_Unit], *, rng: random.Random, first_year: int) -> dict[str, int]:
    """Every centre approved for each year it was rated: the former centres 2019–2024, the new 2025."""
    years = {"old": range(first_year, REFORM_DATE.year), "new": range(REFORM_DATE.year, REFORM_DATE.year + 1)}
    wanted = [(u, y) for u in units for y in years[u.era]]
    rubrics, created = _rubrics({(u.province_id, y) for u, y in wanted}, rng)
    done = set(Assessment.objects.values_list("centre_id", "year"))
    parts = {
        r.pk: (list(r.criteria.order_by("group", "order")), list(r.thresholds.all()))
        for r in Rubric.objects.filter(pk__in={r.pk for r in rubrics.values()})
    }
    assessment_id = next_id(Assessment)
    assessments, scores = [], []
    for unit, year in wanted:
        if (unit.centre_id, year) in done:
            continue
        rubric = rubrics[unit.province_id, year]
        criteria, thresholds = parts[rubric.pk]
        review = _points(rng, criteria, min(0.95, rng.gauss(0.84 + 0.01 * (year - first_year), 0.07)))
        own = {k: min(v + HALF * rng.randrange(3), c.max_points) for c in criteria for k, v in [(c.pk, review[c.pk])]}
        groups: dict[int, Decimal] = defaultdict(Decimal)
        for c in criteria:
            groups[c.group] += review[c.pk]
        rating = evaluation_services.rating_for(thresholds=thresholds, total=sum(review.values()), group_totals=groups)
        submitted = timezone.make_aware(
            datetime.datetime.combine(datetime.date(year + 1, 3, 1 + rng.randrange(14)), NINE)
        )
        proposed = submitted + datetime.timedelta(days=20 + rng.randrange(10))
        approved = proposed + datetime.timedelta(days=15 + rng.randrange(10))
        assessments.append(
            (assessment_id, unit.centre_id, year, Assessment.Status.APPROVED.value, sum(own.values()),
             sum(review.values()), rating, rating, rubric.pk, 6, submitted, proposed, approved)
        )  # fmt: skip
        scores += [(assessment_id, c.pk, own[c.pk], "", review[c.pk], "") for c in criteria]
        assessment_id += 1
    insert_rows(Assessment, ASSESSMENT_COLUMNS, assessments)
    insert_rows(CriterionScore, SCORE_COLUMNS, scores)
    reset_sequence(Assessment)
    reset_sequence(CriterionScore)
    by_rating = defaultdict(int)
    for row in assessments:
        by_rating[row[7]] += 1
    return {
        "rubrics": created,
        "assessments": len(assessments),
        "criterion scores": len(scores),
        **{f"rated {r}": by_rating[r] for r in RATING_ORDER},
    }


def _analyze() -> None:
    """Fresh statistics for the planner: after millions of COPYed rows, autovacuum would get there minutes later
    and the first national queries would be planned on an empty table's estimates."""
    with connection.cursor() as cursor:
        for model in (Course, ClassSession, Attendance, Enrolment, Learner, CentreYearFigure, Assessment, Centre):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def seed(
    *,
    log,
    provinces: int | None = None,
    lists: NationalLists | None = None,
    seed: int = 2026,
    first_year: int = FIRST_YEAR,
) -> Report:
    """Build the nation (or its first `provinces` provinces) on what is loaded; each step in its transaction."""
    rng = random.Random(seed)
    lists = lists or NationalLists()
    report = Report()
    today = timezone.localdate()

    def step(name, func, atomic=True):
        started = time.monotonic()
        with transaction.atomic() if atomic else contextlib.nullcontext():
            value = func()
        report.seconds[name] = time.monotonic() - started
        log(f"  national {name}: {report.seconds[name]:.1f} s")
        return value

    old_codes, new_codes = step("units, offices, centres, mapping", lambda: _units(lists, provinces, log))
    units = _activity_centres(old_codes, new_codes)
    report.counts["centres before the reform"] = sum(u.era == "old" for u in units)
    report.counts["centres after the reform"] = sum(u.era == "new" for u in units)
    report.counts.update(
        step(
            "classes and sessions",
            lambda: _activity(units, rng=rng, today=today, first_year=first_year, log=log),
            atomic=False,  # a transaction per batch (_Writer.flush)
        )
    )
    report.counts.update(step("ratings", lambda: _ratings(units, rng=rng, first_year=first_year)))
    report.counts["figure rows"] = step("figures", figures_rebuild)
    if connection.vendor == "postgresql":
        step("analyze", _analyze, atomic=False)
    log("  national: " + ", ".join(f"{k} {v:,}" for k, v in report.counts.items()))
    return report
