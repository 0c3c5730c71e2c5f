"""Server time of the main pages one request at a time, in-process, with a profile of the slowest (issue 18).

    DATABASE_URL=postgres://… DJANGO_DEBUG=0 DJANGO_SECRET_KEY=… \\
        .venv/bin/python -m bench.profile_pages [--requests 30] [--profile LABEL] [--top 25] [--only LABEL]

Runs against a database that `make bench` (or `bench.run` prepare) filled, through Django's test client with
the whole middleware stack, as the demo accounts. Prints each page's median and p95 time and its query count;
`--profile LABEL` adds a cProfile of that page (cumulative and own time, the `--top` entries). Profiles are
reliable on a shared machine where throughput figures are not: they count work, not wall time under load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from urllib.parse import urlencode

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="append", default=[], help="page label (substring) to profile")
    parser.add_argument("--only", action="append", default=[], help="time only pages whose label has this")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", type=float, default=None, help="print the queries slower than this many ms")
    parser.add_argument(
        "--scale", default="province", choices=["demo", "province", "nation"], help="nation: the Ministry's pages too"
    )
    parser.add_argument(
        "--render", action="store_true", help="render every time (X-Bench-Render: no page cache; needs BENCH_HEADERS=1)"
    )
    args = parser.parse_args(argv)
    _setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench import data

    def db_query(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    # Every page the benchmark times one at a time, the attendance save (a POST, as bench/run.py sends it: with
    # the form's CSRF token, checked) among them.
    pages = data.pages(args.scale, db_query)
    extra = {"HTTP_X_BENCH_RENDER": "1"} if args.render else {}
    if args.only:
        pages = [p for p in pages if any(o in p.label for o in args.only)]
    clients = {}
    for page in pages:
        if page.user not in clients:
            client = Client(enforce_csrf_checks=True)
            client.force_login(User.objects.get(username=page.user))
            clients[page.user] = client
    print(f"{'page':<48} {'user':<11} {'median ms':>9} {'p95 ms':>7} {'cpu ms':>6} {'queries':>7} {'KB':>6}")
    for page in pages:
        client = clients[page.user]
        if page.method == "POST":
            # As bench/run.py sends it: a browser's form (urlencoded) with the token, read once here (bench/run.py
            # opens the form before each POST, untimed, and that page shows, so clears, the last "saved" message).
            client.get(page.path)
            body = urlencode({**page.data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})

            def request(client=client, body=body, page=page):
                client.cookies.pop("messages", None)
                return client.post(page.path, body, content_type="application/x-www-form-urlencoded")

            ok = (302,)
        else:

            def request(client=client, page=page):
                return client.get(page.path, **extra)

            ok = (200,)
        for _ in range(3):
            response = request()
            assert response.status_code in ok, (page, response.status_code)
        times, cpu = [], []
        for _ in range(args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            request()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = request()
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(
            f"{page.label[:48]:<48} {page.user:<11} {statistics.median(times):9.1f} {p95:7.1f} "
            f"{statistics.median(cpu):6.1f} {len(queries):7d} {len(response.content) / 1024:6.1f}",
            flush=True,
        )
        if args.sql is not None:
            for q in queries.captured_queries:
                if float(q["time"]) * 1000 >= args.sql:
                    print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
        if any(p in page.label for p in args.profile):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                request()
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
