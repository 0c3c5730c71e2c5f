"""The national dashboard's cold computation (issue 17 item 4): what a gunicorn worker pays for the Ministry's
page after any commit (the board's cache key holds the data stamp). On a national database:
`python -m bench.national_board [--grouping then|former|today] [--current] [--repeat 5] [--profile]`.

Times `reports.dashboard.dashboard_compute(scope=Q(), filters=…, by_province=True)` with the page's default
filters (or `--current`: to the year in progress, compared with the same days of last year; its base is kept
after the first run, see docs/reports.md), median and runs after one warm-up, then lists that computation's
queries with their times (CaptureQueriesContext) and, with `--profile`, the top of its cProfile. `--stamp` also
times the data stamp's scan, national and for the largest province's dashboard (data_stamp(scope)).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time


def main(argv=None) -> None:
    import argparse
    import os

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grouping", default="then", choices=["then", "former", "today"])
    parser.add_argument("--current", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--stamp", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports import dashboard as engine
    from reports.dashboard import DashboardFilters, dashboard_compute, default_filters

    settings.DEBUG = False
    today = timezone.localdate()
    default = default_filters(today)
    filters = DashboardFilters(
        year_from=default.year_from,
        year_to=today.year if args.current else default.year_to,
        base_year=default.base_year,
        grouping=args.grouping,
    )

    def run():
        return dashboard_compute(scope=Q(), filters=filters, by_province=True, today=today)

    started = time.perf_counter()
    run()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        run()
        runs.append((time.perf_counter() - started) * 1000)
    print(f"{filters}, today {today}")
    print(f"dashboard_compute national: first {first:,.0f} ms, then median {statistics.median(runs):,.0f} ms")
    print(f"  runs: {', '.join(f'{r:,.0f}' for r in runs)} ms")
    with CaptureQueriesContext(connection) as queries:
        run()
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:8.0f} ms  {q['sql'][:110]}")
    if args.stamp:
        with connection.cursor() as cursor:
            cursor.execute("SELECT province_id FROM units_commune GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
            province = cursor.fetchone()[0]
        for label, scope in (("national", None), (f"province {province}", engine.province_scope(province))):
            times = []
            for _ in range(args.repeat):
                engine._last_scan.clear()  # the scan, as after a commit
                started = time.perf_counter()
                engine.data_stamp(scope)
                times.append((time.perf_counter() - started) * 1000)
            print(f"data stamp's scan, {label}: median {statistics.median(times):,.1f} ms")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        run()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())


if __name__ == "__main__":
    main()
