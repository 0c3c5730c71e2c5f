"""Measurements on a national database (after `seed_demo --scale nation`), for docs/scaling.md:
`python -m bench.national_measure [--repeat 5] [--multiply 4]`.

Prints row counts and sizes (pg_total_relation_size of sessions, attendance, figures, classes; the database),
then times, median and max of `--repeat` runs after one warm-up:
- the plain SQL aggregate over sessions: participations per province and year (the whole table);
- the same for one year (what partitioning by year would prune to) and one province-year (a province's export);
- the dashboard engine's national read: dashboard_compute over CentreYearFigure for every centre (scope Q()),
  2019 to last year, and the cached dashboard() (its cost is then the data stamp, timed alone too).
`--multiply N` then copies every session (N − 1) times (bench.scale.sessions_multiply, figures rebuilt) and
times the same again.
"""

from __future__ import annotations

import statistics
import time


def _timed(func, repeat: int) -> tuple[float, float]:
    func()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


def _sql(sql: str, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sizes() -> dict[str, str]:
    from django.db import connection

    out = {}
    for table in ("courses_classsession", "courses_attendance", "courses_centreyearfigure", "courses_course",
                  "courses_enrolment", "courses_learner", "centres_centre", "evaluations_assessment"):  # fmt: skip
        rows = _sql(f"SELECT COUNT(*) FROM {table}")[0][0]
        size = _sql("SELECT pg_size_pretty(pg_total_relation_size(%s)), pg_total_relation_size(%s)", [table, table])
        out[table] = f"{rows:,} rows, {size[0][0]} ({size[0][1]:,} bytes)"
    out["database"] = _sql("SELECT pg_size_pretty(pg_database_size(%s))", [connection.settings_dict["NAME"]])[0][0]
    return out


AGGREGATE = (
    "SELECT m.province_id, EXTRACT(YEAR FROM s.date) AS y, SUM(s.present) FROM courses_classsession s "
    "JOIN courses_course c ON c.id = s.course_id JOIN centres_centre t ON t.id = c.centre_id "
    "JOIN units_commune m ON m.id = t.commune_id {where} GROUP BY 1, 2"
)


def timings(repeat: int) -> dict[str, tuple[float, float]]:
    from django.db.models import Q
    from django.utils import timezone

    from reports.dashboard import DashboardFilters, dashboard, dashboard_compute, data_stamp

    last = timezone.localdate().year - 1
    year = last
    province = _sql(
        "SELECT m.province_id FROM centres_centre t JOIN units_commune m ON m.id = t.commune_id "
        "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
    )[0][0]
    between = "s.date >= %s AND s.date < %s"
    bounds = [f"{year}-01-01", f"{year + 1}-01-01"]
    filters = DashboardFilters(year_from=2019, year_to=last, base_year=2019)
    session = _sql("SELECT MAX(session_id) FROM courses_attendance")[0][0]
    centre = _sql("SELECT MAX(centre_id) FROM courses_course")[0][0]
    out = {
        "plain SQL aggregate, all sessions (province × year)": _timed(lambda: _sql(AGGREGATE.format(where="")), repeat),
        f"same, one year ({year})": _timed(lambda: _sql(AGGREGATE.format(where="WHERE " + between), bounds), repeat),
        f"same, one province-year (province id {province}, {year})": _timed(
            lambda: _sql(AGGREGATE.format(where=f"WHERE m.province_id = %s AND {between}"), [province, *bounds]),
            repeat,
        ),
        "one roster session's attendance rows (the grid's read)": _timed(
            lambda: _sql("SELECT enrolment_id, present FROM courses_attendance WHERE session_id = %s", [session]),
            repeat,
        ),
        f"one centre's sessions of {year} (the centre page's classes)": _timed(
            lambda: _sql(
                "SELECT COUNT(*), SUM(s.present) FROM courses_classsession s JOIN courses_course c ON c.id = "
                f"s.course_id WHERE c.centre_id = %s AND {between}",
                [centre, *bounds],
            ),
            repeat,
        ),
        "dashboard_compute, national (every centre, 2019–last year)": _timed(
            lambda: dashboard_compute(scope=Q(), filters=filters), repeat
        ),
        "data_stamp (the dashboards' cache key)": _timed(data_stamp, repeat),
        "dashboard(), national, cached": _timed(lambda: dashboard(scope=Q(), filters=filters), repeat),
    }
    return out


def report(repeat: int, label: str) -> None:
    print(f"== {label}")
    for name, value in sizes().items():
        print(f"  {name}: {value}")
    for name, (median, worst) in timings(repeat).items():
        print(f"  {name}: median {median:,.1f} ms, max {worst:,.1f} ms")


def main(argv=None) -> None:
    import argparse
    import os

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--multiply", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    report(args.repeat, "as loaded")
    if args.multiply > 1:
        from bench.scale import sessions_multiply

        started = time.monotonic()
        sessions_multiply(factor=args.multiply, log=print)
        print(f"  sessions ×{args.multiply} and figures rebuilt in {time.monotonic() - started:.0f} s")
        _sql("ANALYZE")
        report(args.repeat, f"sessions ×{args.multiply}")


if __name__ == "__main__":
    main()
