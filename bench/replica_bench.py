"""The benchmark's streaming replica (issue 17 item 5), run by bench/run.py after the 1× timings (`--replica`,
default on at --scale nation where the server tools exist).

A hot standby of the benchmark database (bench/replica.py: `pg_basebackup -R -X stream`, another loopback port).
When the benchmark's server refuses replication connections (pg_hba.conf has no `replication` line for
loopback), the standby is of a throw-away primary holding a copy of the benchmark database (pg_dump | psql, as
the replica test does: tests/platform/replica.py), and the report says so. A second gunicorn runs with
DATABASE_REPLICA_URL pointing at the standby; measured and recorded:

- reads on the standby: read_db() and `pg_is_in_recovery()` in the server's configuration, and the standby's
  pg_stat_database counters (transactions, rows read) moved by the national dashboard (rendered, cold boards)
  and by the province's sessions export (bench/export_bench.py province_child, a fresh process);
- writes never there: the attendance save answers 302, the primary's written-row counters move, the standby's
  stay at 0 (it is read-only: a write there would fail, and the save would be a 500);
- the lag: a committed UPDATE on the primary until the standby returns the new value (median and max of 10);
- the fallback: the standby stopped, the national dashboard again: its time and its errors (zero expected).

The standby (and the throw-away primary) are stopped and removed at the end, whatever happens.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections import Counter
from urllib.parse import urlparse

from bench import replica as clusters

LAG_SAMPLES = 10
STATS_SETTLE_S = 12.0  # a backend's statistics reach pg_stat_database within PGSTAT_IDLE_INTERVAL (10 s)

STAT_SQL = (
    "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched, tup_inserted + tup_updated + tup_deleted "
    "FROM pg_stat_database WHERE datname = %s"
)


def _connect(url: str):
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def stats(url: str) -> tuple[int, int, int]:
    """(transactions, rows read, rows written) of the database at `url`, read from the server's `postgres`
    database (so that reading them does not move them) in a new connection (a fresh statistics snapshot)."""
    parts = urlparse(url)
    conn = _connect(parts._replace(path="/postgres").geturl())
    try:
        with conn.cursor() as cursor:
            cursor.execute(STAT_SQL, [parts.path.lstrip("/")])
            return tuple(cursor.fetchone())
    finally:
        conn.close()


def settled_stats(url: str, *, log) -> tuple[int, int, int]:
    """The counters once the backends have reported: polled until unchanged for 2 s (at most STATS_SETTLE_S)."""
    deadline = time.monotonic() + STATS_SETTLE_S
    last = stats(url)
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = stats(url)
        if now != last:
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= 2 and now[0]:
            break
    return last


def delta(before: tuple[int, int, int], after: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(a - b for a, b in zip(after, before, strict=True))


def _copy_database(source_url: str, primary: clusters.Cluster, name: str, *, log) -> float:
    """The benchmark database into the throw-away primary (pg_dump | psql); seconds taken."""
    started = time.perf_counter()
    src = urlparse(source_url)
    clusters.copy_database(
        primary,
        name,
        host=src.hostname or "127.0.0.1",
        port=src.port or 5432,
        user=src.username or "postgres",
        password=src.password,
    )
    psql = clusters.pg_bin("psql")
    subprocess.run(
        [psql, "-h", "127.0.0.1", "-p", str(primary.port), "-U", primary.user, "-d", name, "-XqAc", "VACUUM ANALYZE"],
        check=True, capture_output=True, env=clusters.clean_env(),
    )  # fmt: skip
    seconds = time.perf_counter() - started
    log(f"replica: benchmark database copied to the throw-away primary in {seconds:.0f} s")
    return seconds


def wait_caught_up(primary_url: str, standby_url: str, timeout: float = 600) -> float:
    primary, standby = _connect(primary_url), _connect(standby_url)
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (lsn,) = cursor.fetchone()

        def replayed() -> bool:
            with standby.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                return cursor.fetchone()[0]

        return clusters.wait_until(replayed, timeout=timeout)
    finally:
        primary.close()
        standby.close()


def lag_samples(primary_url: str, standby_url: str, session_id: int, n: int = LAG_SAMPLES) -> list[float]:
    """ms from a committed UPDATE on the primary (the benchmark roster session's topic) until the standby reads
    the new value; the topic is put back afterwards."""
    primary, standby = _connect(primary_url), _connect(standby_url)
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT topic FROM courses_classsession WHERE id = %s", [session_id])
            (original,) = cursor.fetchone()
        samples = []
        for i in range(n):
            marker = f"{original} (độ trễ {i + 1})"
            with primary.cursor() as cursor:
                cursor.execute("UPDATE courses_classsession SET topic = %s WHERE id = %s", [marker, session_id])
            committed = time.perf_counter()

            def seen(marker=marker) -> bool:
                with standby.cursor() as cursor:
                    cursor.execute("SELECT topic FROM courses_classsession WHERE id = %s", [session_id])
                    return cursor.fetchone()[0] == marker

            clusters.wait_until(seen, timeout=60, every=0.001)
            samples.append((time.perf_counter() - committed) * 1000)
            time.sleep(0.2)
        with primary.cursor() as cursor:
            cursor.execute("UPDATE courses_classsession SET topic = %s WHERE id = %s", [original, session_id])
        return samples
    finally:
        primary.close()
        standby.close()


def router_check(primary_url: str, standby_url: str, env_of) -> str:
    """read_db() and pg_is_in_recovery() through it, in the server's configuration (manage.py shell)."""
    code = (
        "from django.db import connections; from tthtcd_portal.db_router import read_db; alias = read_db(); "
        "c = connections[alias].cursor(); c.execute('SELECT pg_is_in_recovery()'); "
        "print(f'read_db() = {alias!r}, pg_is_in_recovery() = {c.fetchone()[0]}')"
    )
    done = subprocess.run(
        [env_of["python"], "manage.py", "shell", "-c", code],
        cwd=env_of["root"], env=env_of["env"], capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def measure(args, *, run, data, ids: dict, log) -> str:
    """The replica phase; returns the report's section. `run` is bench.run (Server, login, time_page, ...)."""
    source = urlparse(args.database_url)
    name = source.path.lstrip("/")
    host, port, user = source.hostname or "127.0.0.1", source.port or 5432, source.username or "postgres"
    throwaway = standby = server = None
    notes = []
    try:
        refused = clusters.replication_refused(host=host, port=port, user=user)
        primary_url = args.database_url
        if refused:
            log(f"replica: {host}:{port} refuses replication ({refused.splitlines()[0]}); a throw-away primary")
            throwaway = clusters.primary_start(user=user)
            copied = _copy_database(args.database_url, throwaway, name, log=log)
            primary_url = throwaway.url(name)
            notes.append(
                f"The benchmark's server ({host}:{port}) refuses replication connections (pg_hba.conf), so the "
                f"standby is of a throw-away primary on port {throwaway.port} holding a copy of the benchmark "
                f"database (pg_dump | psql, {copied:.0f} s); the replica's measurements below run on that pair. To "
                f"stream from the benchmark's server itself, allow `host replication all 127.0.0.1/32 trust` there."
            )
        started = time.perf_counter()
        standby = clusters.replica_start(
            primary_port=throwaway.port if throwaway else port, primary_host=host, user=user
        )
        base_backup = time.perf_counter() - started
        standby_url = standby.url(name)
        wait_caught_up(primary_url, standby_url)
        log(f"replica: standby on port {standby.port} ({base_backup:.1f} s base backup and start)")
        extra = {"DATABASE_REPLICA_URL": standby_url}
        env_of = {"python": run.sys.executable, "root": run.ROOT, "env": {**run.server_env(primary_url), **extra}}
        routed = router_check(primary_url, standby_url, env_of)
        log(f"replica: {routed}")

        server = run.Server(primary_url, args.port + 1, extra_env=extra)
        sessions = {u: run.login(server.port, u) for u in ("demo_bo", "demo_xa")}
        national = next(p for p in data.NATIONAL_PAGES if p.label == data.NATIONAL_DASHBOARD)
        save = next(p for p in data.pages(args.scale, lambda sql: run.query(primary_url, sql))
                    if p.label.startswith(data.ATTENDANCE_SAVE))  # fmt: skip

        rows = []
        before_s, before_p = settled_stats(standby_url, log=log), settled_stats(primary_url, log=log)
        on_replica = run.time_page(sessions["demo_bo"], national, args.requests, render=True)
        after_s, after_p = settled_stats(standby_url, log=log), settled_stats(primary_url, log=log)
        rows.append((f"{national.label}, rendered ({args.requests} requests after {2 * run.WARM_UP} warm-up)", on_replica,
                     delta(before_s, after_s), delta(before_p, after_p)))  # fmt: skip

        before_s, before_p = after_s, after_p
        from bench.export_bench import province_export

        exported = province_export(
            database_url=primary_url,
            username=data.EXPORT_USER,
            params=data.export_params(args.last_year),
            extra_env=extra,
        )
        after_s, after_p = settled_stats(standby_url, log=log), settled_stats(primary_url, log=log)
        rows.append((f"sessions export of {data.EXPORT_USER}'s province ({exported['rows']:,} rows, twice)", None,
                     delta(before_s, after_s), delta(before_p, after_p)))  # fmt: skip

        before_s, before_p = after_s, after_p
        saved = run.time_page(sessions["demo_xa"], save, 5)
        sessions["demo_xa"].request("GET", "/")
        after_s, after_p = settled_stats(standby_url, log=log), settled_stats(primary_url, log=log)
        rows.append((f"{save.label} (5 + {run.WARM_UP} saves, each 302)", saved, delta(before_s, after_s),
                     delta(before_p, after_p)))  # fmt: skip

        lags = lag_samples(primary_url, standby_url, ids["session"])
        log(f"replica: lag median {statistics.median(lags):.1f} ms, max {max(lags):.1f} ms")

        standby.stop()
        log("replica: standby stopped; the national dashboard again (fallback to the primary)")
        fallback, statuses = fallback_run(run, sessions["demo_bo"], national, args.requests)
        read_only_errors = server_log_count(server, "read-only transaction")
    finally:
        if server:
            server.stop()
        if standby:
            standby.remove()
        if throwaway:
            throwaway.remove()
        log("replica: standby (and throw-away primary) stopped and removed")
    return section(
        notes=notes,
        routed=routed,
        base_backup=base_backup,
        rows=rows,
        exported=exported,
        lags=lags,
        on_replica=on_replica,
        fallback=fallback,
        statuses=statuses,
        read_only_errors=read_only_errors,
        percentile=run.percentile,
    )


def fallback_run(run, session, page, requests: int):
    """The page's server times and statuses with the standby down (no status check: errors are counted)."""
    server_ms, statuses = [], Counter()
    for _ in range(requests):
        response, _ = session.request("GET", page.path, extra=run.RENDER)
        statuses[response.status] += 1
        if response.status == 200:
            server_ms.append(run.server_time_ms(response.getheader("Server-Timing", "")) or 0.0)
    return server_ms, statuses


def server_log_count(server, text: str) -> int:
    server.log_file.flush()
    with open(server.log_file.name, encoding="utf-8", errors="replace") as log_text:
        return log_text.read().count(text)


def section(*, notes, routed, base_backup, rows, exported, lags, on_replica, fallback, statuses, read_only_errors,
            percentile) -> str:  # fmt: skip
    def counters(c):
        return f"{c[0]:,} / {c[1]:,} / {c[2]:,}"

    table = [
        "| step | server median ms | standby: transactions / rows read / rows written | primary: the same |",
        "| --- | --- | --- | --- |",
    ]
    for label, timed, on_standby, on_primary in rows:
        median = f"{statistics.median(timed.server_ms):.1f}" if timed else ""
        table.append(f"| {label} | {median} | {counters(on_standby)} | {counters(on_primary)} |")
    errors = sum(n for status, n in statuses.items() if status != 200)
    lines = [
        "",
        "### Read replica (streaming, `pg_basebackup -R -X stream`, bench/replica_bench.py)",
        "",
        *([*notes, ""] if notes else []),
        f"Standby made and started in {base_backup:.1f} s; the server with DATABASE_REPLICA_URL at it: {routed}. "
        "Counters from pg_stat_database (transactions, tuples returned + fetched, tuples inserted + updated + "
        "deleted) before and after each step; a standby cannot write, so a write routed there would fail.",
        "",
        "\n".join(table),
        "",
        f"- export on the replica: {exported['rows']:,} rows at {exported['rows_per_s']:,.0f} rows/s, read_db() "
        f"= {exported['read_db']!r}",
        f'- writes: the saves answered 302 on the primary; {read_only_errors} "read-only transaction" errors in '
        "the server's log",
        f"- lag, a committed UPDATE on the primary until the standby reads it ({len(lags)} samples): median "
        f"{statistics.median(lags):.1f} ms, max {max(lags):.1f} ms",
        f"- standby stopped: the national dashboard (rendered) {len(fallback)} of {sum(statuses.values())} "
        f"answered 200, median {statistics.median(fallback) if fallback else 0:.1f} ms, p95 "
        f"{percentile(fallback, 95) if fallback else 0:.1f} ms (on the replica: median "
        f"{statistics.median(on_replica.server_ms):.1f} ms); errors: {errors} ({dict(statuses)})",
        "",
    ]
    return "\n".join(lines)
