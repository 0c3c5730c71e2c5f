"""The per-centre-per-year figures (CentreYearFigure): their names, the bookkeeping on each write and the rebuild.

The five figures (classes, sessions, participations, women, minorities) are the fields of the abstract model
`FigureCounts`; FIGURE_FIELDS lists them, and everything else loops over it: `Counts` (a delta to apply, a sum
the dashboards show), `figure_sums` (the dashboards' annotations), `session_sums` (the rebuild's and the class
services' aggregation of sessions) and the data stamp's SQL (reports/dashboard.py). A sixth figure is a field
of FigureCounts, its source in SESSION_SOURCES (or the class count) and a migration.

Course services (courses/services.py) call `figures_apply` in the same transaction as each write, with F()
increments on upserted rows, so two writers at once never lose an increment; `figures_rebuild`
(`manage.py rebuild_figures`) recomputes the rows from the raw records. Counting rule (docs/courses.md): a
class counts in the year of its start date; a session, and the people present at it, in the year of its date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Now
from django.utils import timezone

from courses.models import CentreYearFigure, ClassSession, Course, FigureCounts

FIGURE_FIELDS: tuple[str, ...] = tuple(f.name for f in FigureCounts._meta.fields)
# The figure each session column adds to (a session also adds 1 to "sessions").
SESSION_SOURCES: dict[str, str] = {"participations": "present", "women": "women", "minorities": "minorities"}
Key = tuple[int, int, int]  # (centre_id, year, programme_kind_id)


class Counts:
    """The five figures as numbers: a change to apply to one figure row, or a sum over rows."""

    def __init__(self, **counts: int) -> None:
        unknown = set(counts) - set(FIGURE_FIELDS)
        if unknown:
            raise TypeError(f"not a figure: {', '.join(sorted(unknown))}")
        for name in FIGURE_FIELDS:
            setattr(self, name, counts.get(name, 0))

    @classmethod
    def of(cls, row: Any, **extra) -> Counts:
        """The figures of an object with figure attributes (a CentreYearFigure, another Counts)."""
        return cls(**extra, **{name: getattr(row, name) for name in FIGURE_FIELDS})

    @classmethod
    def from_sums(cls, row: Mapping, **extra) -> Counts:
        """The figures of a row annotated with `figure_sums()` or `session_sums()` (a figure it lacks is 0)."""
        return cls(**extra, **{name: row.get(f"{name}_sum") or 0 for name in FIGURE_FIELDS})

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}

    def add(self, other: Counts, sign: int = 1) -> None:
        for name in FIGURE_FIELDS:
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))

    def add_session(self, sign: int, session: ClassSession) -> None:
        """Add (sign=1) or remove (sign=-1) one session and the people present at it."""
        self.sessions += sign
        for name, column in SESSION_SOURCES.items():
            setattr(self, name, getattr(self, name) + sign * getattr(session, column))

    def add_totals(self, sign: int, item: Mapping) -> None:
        """Add (sign=1) or remove (sign=-1) a group of sessions aggregated with `session_sums()`."""
        self.add(Counts.from_sums(item), sign)

    def is_zero(self) -> bool:
        return not any(self.counts().values())

    def has_decrease(self) -> bool:
        return any(value < 0 for value in self.counts().values())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


def figure_sums() -> dict[str, Sum]:
    """Annotations summing each figure over CentreYearFigure rows, as `<figure>_sum` (read by `from_sums`)."""
    return {f"{name}_sum": Sum(name) for name in FIGURE_FIELDS}


def session_sums() -> dict[str, Count | Sum]:
    """Annotations of a group of ClassSession rows as the figures they make (all but classes), as
    `<figure>_sum` (read by `Counts.from_sums`, `Counts.add_totals`)."""
    return {
        "sessions_sum": Count("id"),
        **{f"{name}_sum": Sum(column) for name, column in SESSION_SOURCES.items()},
    }


def key_filter(key: Key) -> dict:
    return {"centre_id": key[0], "year": key[1], "programme_kind_id": key[2]}


def session_key(course: Course, day: datetime.date) -> Key:
    return (course.centre_id, day.year, course.programme_kind_id)


def figures_apply(
    deltas: dict[Key, Counts],
    *,
    session_dates: dict[Key, datetime.date] | None = None,
    refresh_last: Iterable[Key] = (),
) -> None:
    """Upsert the rows (one INSERT … ON CONFLICT DO NOTHING), then add each delta with F() (one UPDATE per key).

    `session_dates`: a session was added on that date (raises last_session_date). `refresh_last`: a session left
    the key, so its latest date is recomputed from the sessions (one query each). Rows left empty are deleted so
    that incremental figures equal rebuilt ones exactly."""
    session_dates = session_dates or {}
    refresh_last = set(refresh_last)
    keys = [k for k, d in deltas.items() if not d.is_zero()]
    keys += [k for k in session_dates if k not in keys]
    if not keys and not refresh_last:
        return
    if keys:
        CentreYearFigure.objects.bulk_create(
            [CentreYearFigure(**key_filter(k)) for k in keys],
            ignore_conflicts=True,
        )
    emptied = []
    for key in keys:
        delta = deltas.get(key, Counts())
        updates = {f: F(f) + v for f, v in delta.counts().items() if v}
        if key in session_dates:
            day = Value(session_dates[key], output_field=DateField())
            updates["last_session_date"] = Greatest(Coalesce(F("last_session_date"), day), day)
        CentreYearFigure.objects.filter(**key_filter(key)).update(**updates, updated_at=Now())
        if delta.has_decrease():
            emptied.append(key)
    for key in refresh_last:
        latest = ClassSession.objects.filter(
            course__centre_id=key[0], course__programme_kind_id=key[2], date__year=key[1]
        ).aggregate(latest=Max("date"))["latest"]
        CentreYearFigure.objects.filter(**key_filter(key)).update(last_session_date=latest, updated_at=Now())
    for key in emptied:
        CentreYearFigure.objects.filter(**key_filter(key), classes=0, sessions=0).delete()


def figures_rebuild(*, centre_ids: Iterable[int] | None = None) -> int:
    """Recompute CentreYearFigure from the raw records (classes and sessions), set-based: one DELETE and one
    INSERT … SELECT of the two GROUP BYs (classes by start year, sessions by date's year) merged in SQL, so no
    row passes through Python (the nation's ≈ 700,000 figure rows from 8 M sessions: docs/scaling.md).
    Returns the number of rows written."""
    courses = Course.objects.order_by()
    sessions = ClassSession.objects.order_by()
    figures = CentreYearFigure.objects.all()
    if centre_ids is not None:
        centre_ids = list(centre_ids)
        courses = courses.filter(centre_id__in=centre_ids)
        sessions = sessions.filter(course__centre_id__in=centre_ids)
        figures = figures.filter(centre_id__in=centre_ids)
    classes_sql, classes_params = (
        courses.values(c=F("centre_id"), y=ExtractYear("start_date"), k=F("programme_kind_id"))
        .annotate(classes_sum=Count("id"))
        .query.sql_with_params()
    )
    sessions_sql, sessions_params = (
        sessions.values(c=F("course__centre_id"), y=ExtractYear("date"), k=F("course__programme_kind_id"))
        .annotate(**session_sums(), last_day=Max("date"))
        .query.sql_with_params()
    )
    qn = connection.ops.quote_name
    from_sessions = ("sessions", *SESSION_SOURCES)
    table = qn(CentreYearFigure._meta.db_table)
    columns = ["centre_id", "year", "programme_kind_id", *FIGURE_FIELDS, "last_session_date", "updated_at"]
    class_part = ", ".join(["classes_sum AS classes", *(f"0 AS {qn(name)}" for name in from_sessions)])
    session_part = ", ".join(["0", *(qn(f"{name}_sum") for name in from_sessions)])
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT c, y, k, {', '.join(f'SUM({qn(name)})' for name in FIGURE_FIELDS)}, MAX(last_day), %s FROM ("
        f"SELECT c, y, k, {class_part}, NULL AS last_day FROM ({classes_sql}) AS cls "
        f"UNION ALL SELECT c, y, k, {session_part}, last_day FROM ({sessions_sql}) AS ses"
        ") AS parts GROUP BY c, y, k"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        figures.delete()
        cursor.execute(sql, [timezone.now(), *classes_params, *sessions_params])
        return cursor.rowcount
