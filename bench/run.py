"""`make bench` and `make loadtest`: the portal measured the way production runs it.

    python -m bench.run                 # server time and queries per page, load on loopback → docs/performance.md
    python -m bench.run --loadtest      # 50 logged-in clients for 60 s over the main pages; fails on any 5xx

Against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tthtcd_bench, created if
missing): migrate, collectstatic, the data of bench/data.py, then gunicorn with DJANGO_DEBUG=0 on a
loopback port with BENCH_HEADERS=1, so that every response carries its server time (Server-Timing) and
query count (X-Query-Count) and /bench/ping/ — the trivial logged-in view — exists. Load comes from wrk
when installed (`make bench` installs Debian's), else from a bounded pool of Python threads. Everything
stops by itself: each load phase has a fixed duration and the server is stopped at the end.

At `--scale nation` (issue 17; database default .../tthtcd_natscale, `--provinces N` for a smaller nation) the run
also measures the Ministry's pages, the demo province's sessions export (bench/export_bench.py province_child),
a streaming replica (bench/replica_bench.py; `--no-replica` to skip) and, after `--multiply` (4×) the sessions,
every page and the export again (bench/at_scale.py: the 1×/N× table and the targets).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse
from zoneinfo import ZoneInfo

from bench import data

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tthtcd_bench"
# A run drops and seeds its database: the nation gets its own, so that it never replaces the province's.
NATION_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tthtcd_natscale"
# Random per run: with DJANGO_DEBUG=0 the portal refuses any key written in the repository.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)
WARM_UP = 10
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
RUNS_MARKER = "<!-- runs: newest first; bench/run.py inserts each run below this line -->"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Small pure helpers (unit-tested in tests/platform/test_bench_helpers.py) ----------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def server_time_ms(header: str) -> float | None:
    """The app duration of a `Server-Timing: app;dur=12.3, db;dur=4.5` header."""
    match = re.search(r"(?:^|,)\s*app;dur=([0-9.]+)", header or "")
    return float(match.group(1)) if match else None


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def insert_run(document: str, section: str) -> str:
    """Put a run's section right after the marker (newest first), creating the document if needed."""
    if RUNS_MARKER not in document:
        document = document.rstrip() + "\n\n" + RUNS_MARKER + "\n"
    head, tail = document.split(RUNS_MARKER, 1)
    return head + RUNS_MARKER + "\n\n" + section.strip() + "\n" + tail


# --- Database --------------------------------------------------------------------------------------


def ensure_database(url: str, *, fresh: bool = False) -> None:
    import psycopg2

    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"The benchmark runs on PostgreSQL; DATABASE_URL is {url!r}.")
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        dbname="postgres",
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        if fresh:
            # A run grows the sessions (the 4× check): every run starts from the same data.
            log(f"dropping database {name}")
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def query(url: str, sql: str) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def time_sql(url: str, sql: str, repeat: int) -> list[float]:
    import psycopg2

    conn = psycopg2.connect(url)
    timings = []
    try:
        with conn.cursor() as cursor:
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        conn.close()
    return timings


# --- The server, run the production way -------------------------------------------------------------


def server_env(database_url: str, *, debug: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="1" if debug else "0",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        BENCH_HEADERS="1",
    )
    return env


def manage_runner(database_url: str):
    def manage(*args: str, debug: bool = False) -> None:
        log("manage.py " + " ".join(args))
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=server_env(database_url, debug=debug), check=True
        )

    return manage


class Server:
    def __init__(self, database_url: str, port: int, *, extra_env: dict[str, str] | None = None) -> None:
        self.port = port
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # Kept open for the server's lifetime (its output goes there); closed in stop().
        self.log_file = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(gunicorn), "tthtcd_portal.wsgi", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**server_env(database_url), **(extra_env or {})},
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up; see {self.log_file.name}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit(f"gunicorn did not listen on 127.0.0.1:{port} within 30 s")
        log(f"gunicorn up on 127.0.0.1:{port} (log {self.log_file.name})")

    @property
    def workers(self) -> str:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return str(len(children.read_text().split()))
        except OSError:
            return "?"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log_file.close()


# --- HTTP ------------------------------------------------------------------------------------------


@dataclass
class Session:
    """A logged-in user's cookies (handled by hand: production cookies are Secure, this is plain http)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: dict | None = None, conn=None, extra: dict | None = None):
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.header(), "Host": "127.0.0.1", **(extra or {})}
        payload = None
        if body is not None:
            payload = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie = rest.split(";", 1)[0]
                if cookie in ("", '""'):
                    self.cookies.pop(key.strip(), None)  # deleted (the flash messages, once shown)
                else:
                    self.cookies[key.strip()] = cookie
        if own:
            conn.close()
        return response, content

    def csrf_post(self, path: str, fields: dict):
        _, page = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        token = match.group(1).decode() if match else self.cookies.get("csrftoken", "")
        return self.request("POST", path, {**fields, "csrfmiddlewaretoken": token})


def login(port: int, username: str) -> Session:
    session = Session(port)
    response, _ = session.csrf_post("/tai-khoan/dang-nhap/", {"username": username, "password": data.DEMO_PASSWORD})
    if response.status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as {username} (status {response.status}); is the demo data there?")
    return session


@dataclass
class Timed:
    label: str
    path: str
    user: str
    server_ms: list[float]
    wall_ms: list[float]
    queries: set[int]
    rendered: Timed | None = None  # the same page rendered every time (no page cache; X-Bench-Render)


# tthtcd_portal/page_cache.py renders the page without its cache when this header comes with BENCH_HEADERS=1.
RENDER = {"X-Bench-Render": "1"}


def warm_workers(session: Session, page: data.Page, *, extra: dict | None = None, clients: int = WARM_UP) -> None:
    """GET the page from `clients` concurrent connections: an idle sync worker takes one request at a time, so
    every worker gets one and its own caches are warm (the dashboards' boards are kept per process) before the
    timed requests; sequential warm-up requests may all land on the same few workers."""

    def one() -> None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            Session(session.port, dict(session.cookies)).request("GET", page.path, extra=extra)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def time_page(session: Session, page: data.Page, requests: int, *, render: bool = False) -> Timed:
    server, wall, queries = [], [], set()
    if page.method == "GET":
        warm_workers(session, page, extra=RENDER if render else None)
    for attempt in range(requests + WARM_UP):  # warm-up requests reach every worker, not counted
        started = time.perf_counter()
        if page.method == "POST":
            response, _ = session.csrf_post(page.path, page.data)
            ok = response.status in (200, 302)
        else:
            response, _ = session.request("GET", page.path, extra=RENDER if render else None)
            ok = response.status == 200
        elapsed = (time.perf_counter() - started) * 1000
        if not ok:
            raise SystemExit(f"{page.method} {page.path} as {page.user}: status {response.status}")
        if attempt >= WARM_UP:
            server.append(server_time_ms(response.getheader("Server-Timing", "")) or 0.0)
            wall.append(elapsed)
            queries.add(int(response.getheader("X-Query-Count", "-1")))
    return Timed(page.label, page.path, page.user, server, wall, queries)


# --- Load ------------------------------------------------------------------------------------------


@dataclass
class Load:
    label: str
    clients: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    statuses: Counter
    errors: int

    target: float | None = None  # × the trivial view's requests per second (issue 18)
    rendered: Load | None = None  # the same page rendered every time (no page cache)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def python_load(
    label: str, targets: list[tuple[Session, str]], clients: int, seconds: float, extra: dict | None = None
) -> Load:
    """`clients` threads, each on its own keep-alive connection, cycling through `targets` until the
    deadline. Bounded: the deadline ends every thread; a request never waits longer than 30 s."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        mine, my_statuses, my_errors = [], Counter(), 0
        conn = None
        n = index
        while time.monotonic() < deadline:
            session, path = targets[n % len(targets)]
            n += 1
            conn = conn or http.client.HTTPConnection("127.0.0.1", session.port, timeout=30)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": session.header(), "Host": "127.0.0.1", **(extra or {})})
                response = conn.getresponse()
                response.read()
                my_statuses[response.status] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                my_errors += 1
                conn.close()
                conn = None
                continue
            mine.append((time.perf_counter() - started) * 1000)
        if conn:
            conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(my_statuses)
            errors[0] += my_errors

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    return Load(
        label,
        clients,
        round(elapsed, 1),
        total,
        total / elapsed,
        percentile(latencies, 50) if latencies else 0.0,
        percentile(latencies, 95) if latencies else 0.0,
        statuses,
        errors[0],
    )


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"non2xx3xx": %d, "socket_errors": %d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_load(label: str, session: Session, path: str, clients: int, seconds: float, extra: dict | None = None) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    threads = max(1, min(clients, os.cpu_count() or 1))
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s", "-s", script.name,
         "-H", f"Cookie: {session.header()}", *[a for k, v in (extra or {}).items() for a in ("-H", f"{k}: {v}")],
         f"http://127.0.0.1:{session.port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    os.unlink(script.name)
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    figures = json.loads(line[4:])
    duration = figures["duration_us"] / 1e6
    bad = figures["non2xx3xx"]
    return Load(
        label,
        clients,
        round(duration, 1),
        figures["requests"],
        figures["requests"] / duration,
        figures["p50_us"] / 1000,
        figures["p95_us"] / 1000,
        Counter({"2xx/3xx": figures["requests"] - bad, "other": bad}) if bad else Counter({200: figures["requests"]}),
        figures["socket_errors"],
    )


PING_LABEL = "Trang tối thiểu /bench/ping/"


def mean_load(loads: list[Load]) -> Load:
    """The trivial view's runs as one: requests and statuses summed, rates and latencies averaged."""
    n = len(loads)
    return Load(
        f"{loads[0].label} (trung bình {n} lần)" if n > 1 else loads[0].label,
        loads[0].clients,
        sum(load.seconds for load in loads),
        sum(load.requests for load in loads),
        sum(load.rps for load in loads) / n,
        sum(load.p50_ms for load in loads) / n,
        sum(load.p95_ms for load in loads) / n,
        sum((load.statuses for load in loads), Counter()),
        sum(load.errors for load in loads),
    )


def run_load(label, session, path, clients, seconds, tool, extra: dict | None = None) -> Load:
    log(f"load: {label} {path} — {clients} clients, {seconds:.0f} s ({tool}){' rendered' if extra else ''}")
    if tool == "wrk":
        return wrk_load(label, session, path, clients, seconds, extra)
    return python_load(label, [(session, path)], clients, seconds, extra)


# --- Machine and report ----------------------------------------------------------------------------


def machine(database_url: str) -> dict[str, str]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    (version,) = query(database_url, "SHOW server_version")[0]
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kb / 1048576:.1f} GB",
        "postgres": version.split()[0],
        "python": platform.python_version(),
        "commit": git_commit(),
    }


def git_commit() -> str:
    """The checked-out commit, and whether the work tree differs from it (the report excepted)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line for line in git("status", "--porcelain").splitlines() if not line.endswith("docs/performance.md")]
    return commit + (" with uncommitted changes" if changed else "")


def report(machine_info, args, workers, timed: list[Timed], baselines, loads: list[Load], ping: Load | None) -> str:
    lines = [
        f"## Run of {machine_info['date']} — scale `{args.scale}`",
        "",
        f"Machine: {machine_info['cpus']} CPU ({machine_info['cpu']}), {machine_info['ram']} RAM, "
        f"PostgreSQL {machine_info['postgres']}, Python {machine_info['python']}; gunicorn {workers} workers "
        f"(deploy/gunicorn.conf.py), DJANGO_DEBUG=0, on loopback; commit {machine_info['commit']}.",
        "",
        f"### Server time per page ({args.requests} sequential requests each, after {WARM_UP} warm-up, a GET's also {WARM_UP} at once: every worker warm)",
        "",
        "Each GET page twice: as served (kept pages answer from the page cache while the database is unchanged,"
        " tthtcd_portal/page_cache.py) and rendered every time (`X-Bench-Render`: the view, its queries and its"
        " template each time). The target (< 15 ms median) is read on the rendered time.",
        "",
        markdown_table(
            [
                "page",
                "user",
                "server median ms",
                "server p95 ms",
                "client median ms",
                "queries",
                "rendered: median ms",
                "rendered: p95 ms",
                "rendered: queries",
                "< 15 ms",
            ],  # fmt: skip
            [
                [
                    t.label,
                    t.user,
                    f"{statistics.median(t.server_ms):.1f}",
                    f"{percentile(t.server_ms, 95):.1f}",
                    f"{statistics.median(t.wall_ms):.1f}",
                    ", ".join(str(q) for q in sorted(t.queries)),
                    *(
                        [
                            f"{statistics.median(r.server_ms):.1f}",
                            f"{percentile(r.server_ms, 95):.1f}",
                            ", ".join(str(q) for q in sorted(r.queries)),
                        ]
                        if (r := t.rendered)
                        else ["", "", ""]
                    ),
                    "yes" if statistics.median((t.rendered or t).server_ms) < SERVER_TARGET_MS else "no",
                ]
                for t in timed
            ],
        ),
    ]
    if baselines:
        lines += [
            "",
            "### Plain SQL for comparison (median of 10 runs)",
            "",
            markdown_table(["query", "median ms"], [[label, f"{ms:.1f}"] for label, ms in baselines]),
        ]
    if loads:
        base = ping.rps if ping else None
        lines += [
            "",
            f"### Under load ({loads[0].clients} concurrent clients, {args.load_seconds:.0f} s each, {args.tool})",
            "",
            "Each page as served (the page cache answers while the database is unchanged), then rendered every"
            " time (`X-Bench-Render`).",
            "",
            markdown_table(
                [
                    "page",
                    "requests",
                    "req/s",
                    "p50 ms",
                    "p95 ms",
                    "errors",
                    "× trivial view",
                    "target",
                    "met",
                    "rendered: req/s",
                    "rendered: p95 ms",
                    "rendered: × trivial",
                    "rendered: met",
                ],  # fmt: skip
                [
                    [
                        load.label,
                        load.requests,
                        f"{load.rps:.0f}",
                        f"{load.p50_ms:.1f}",
                        f"{load.p95_ms:.1f}",
                        load_errors(load),
                        f"{load.rps / base:.2f}" if base else "",
                        f"≥ {load.target:.2f}×, p95 < {P95_TARGET_MS} ms" if load.target else "",
                        load_met(load, base),
                        *(
                            [
                                f"{r.rps:.0f}",
                                f"{r.p95_ms:.1f}",
                                f"{r.rps / base:.2f}" if base else "",
                                load_met(r, base),
                            ]
                            if (r := load.rendered)
                            else ["", "", "", ""]
                        ),
                    ]
                    for load in [*loads, *([ping] if ping else [])]
                ],
            ),
        ]
    return "\n".join(lines) + "\n"


P95_TARGET_MS = 150
SERVER_TARGET_MS = 15


def load_errors(load: Load) -> int:
    return load.errors + sum(n for s, n in load.statuses.items() if s not in (200, "2xx/3xx"))


def load_met(load: Load, base: float | None) -> str:
    """ "yes", or what is missed (issue 18: the ratio, p95 under 150 ms, no errors)."""
    if not load.target or not base:
        return ""
    missed = []
    if load.rps / base < load.target:
        missed.append(f"{load.rps / base:.2f}×")
    if load.p95_ms >= P95_TARGET_MS:
        missed.append(f"p95 {load.p95_ms:.0f} ms")
    if load_errors(load):
        missed.append(f"{load_errors(load)} errors")
    return "yes" if not missed else "no: " + ", ".join(missed)


def write_report(section: str) -> None:
    document = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else "# Performance\n"
    PERFORMANCE_MD.write_text(insert_run(document, section), encoding="utf-8")
    log(f"written to {PERFORMANCE_MD.relative_to(ROOT)}")


# --- Main ------------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="default: tthtcd_bench (nation: tthtcd_natscale)"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8199)))
    parser.add_argument(
        "--scale", default=os.environ.get("BENCH_SCALE", "demo"), choices=["demo", "province", "nation"]
    )
    parser.add_argument("--years", type=int, default=int(os.environ.get("BENCH_YEARS", 10)))
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--load-seconds", type=float, default=15, help="per page under load (17 pages twice, the trivial view twice)"
    )
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-load", action="store_true", help="skip the load phase")
    parser.add_argument(
        "--no-slow-link", action="store_true", help="skip the throttled-Chromium pages (bench/slow_link.py)"
    )
    parser.add_argument("--keep-db", dest="fresh", action="store_false", help="reuse the benchmark database")
    parser.add_argument(
        "--multiply", type=int, default=4, help="after the 1× timings, grow the sessions N× and time again (1: skip)"
    )
    parser.add_argument(
        "--provinces", type=int, default=None, help="nation: the first N provinces of today's list (default: all)"
    )
    parser.add_argument(
        "--replica",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a streaming replica phase (bench/replica_bench.py); default: on at --scale nation with pg_basebackup",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/performance.md")
    parser.add_argument(
        "--loadtest", action="store_true", help="reliability: 50 clients, 60 s over the main pages; exit 1 on any 5xx"
    )
    args = parser.parse_args(argv)
    if args.tool == "auto":
        args.tool = "wrk" if shutil.which("wrk") else "python"
    if not args.database_url:
        args.database_url = NATION_DATABASE_URL if args.scale == "nation" else DEFAULT_DATABASE_URL
    if args.replica is None:
        from bench.replica import unavailable_reason

        args.replica = args.scale == "nation" and unavailable_reason() is None
    # The sessions export's year: the last full one (the portal's time zone).
    args.last_year = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year - 1
    return args


def prepare(args) -> None:
    ensure_database(args.database_url, fresh=args.fresh)
    manage = manage_runner(args.database_url)
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    data.prepare(scale=args.scale, years=args.years, manage=manage, log=log, provinces=args.provinces)


def sessions_for(port: int, pages: list[data.Page]) -> dict[str, Session]:
    return {user: login(port, user) for user in dict.fromkeys(page.user for page in pages)}


def bench(args) -> int:
    prepare(args)
    server = Server(args.database_url, args.port)
    try:
        db_query = lambda sql: query(args.database_url, sql)  # noqa: E731
        pages = data.pages(args.scale, db_query)
        load_pages = data.load_pages(args.scale, db_query)
        sessions = sessions_for(args.port, pages + load_pages)
        timed = []
        for page in pages:
            log(f"timing {page.method} {page.path} as {page.user}")
            timing = time_page(sessions[page.user], page, args.requests)
            if page.method == "GET":
                timing.rendered = time_page(sessions[page.user], page, args.requests, render=True)
            else:
                # The saves' "saved" messages wait for the next page, as a browser shows them after the redirect.
                sessions[page.user].request("GET", "/")
            timed.append(timing)
        baselines = [
            (label, statistics.median(time_sql(args.database_url, sql, 10)))
            for label, sql in data.sql_baselines(args.scale)
        ]
        loads, ping = [], None
        if not args.no_load:
            # The trivial view before and after the pages: on a shared machine the load of others moves during
            # the run, and the ratio is to the mean of the two.
            first = sessions[load_pages[0].user]
            pings = [run_load(PING_LABEL, first, "/bench/ping/", args.clients, args.load_seconds, args.tool)]
            for page in load_pages:
                load = run_load(page.label, sessions[page.user], page.path, args.clients, args.load_seconds, args.tool)
                load.target = page.target
                load.rendered = run_load(
                    page.label, sessions[page.user], page.path, args.clients, args.load_seconds, args.tool, RENDER
                )
                load.rendered.target = page.target
                loads.append(load)
            pings.append(run_load(PING_LABEL, first, "/bench/ping/", args.clients, args.load_seconds, args.tool))
            ping = mean_load(pings)
        slow = ""
        if not args.no_slow_link:
            from bench import slow_link

            log("slow link: the main pages of each role in throttled Chromium")
            url = f"http://127.0.0.1:{args.port}"
            slow = slow_link.roles_table(
                url, slow_link.measure_roles(url, data.slow_link_pages(args.scale, db_query), data.DEMO_PASSWORD)
            )
        counts_one = scale_counts(args.database_url)
        export_one = sessions_export(args) if args.scale == "nation" else None
        replica = ""
        if args.replica:
            # Before the sessions grow: the base backup copies the 1× data, and no standby replays the growth
            # while the N× pages are timed.
            from bench import replica_bench

            try:
                replica = replica_bench.measure(
                    args, run=sys.modules[__name__], data=data, ids=data.bench_ids(db_query), log=log
                )
            except (Exception, SystemExit) as exc:  # the hours of pages measured so far are still reported
                log(f"replica phase failed: {exc!r}")
                replica = f"\n### Read replica\n\nNot measured: the replica phase failed ({exc!r}).\n"
        elif args.scale == "nation":
            from bench.replica import unavailable_reason

            replica = f"\n### Read replica\n\nNot measured: {unavailable_reason() or '--no-replica'}.\n"
        grown = (
            at_scale_section(args, sessions, pages, timed, baselines, counts_one, export_one)
            if args.multiply > 1 and args.scale != "demo"
            else ""
        )
        section = report(machine(args.database_url), args, server.workers, timed, baselines, loads, ping)
        section += grown + replica
        if slow:
            section += "\n" + slow
    finally:
        server.stop()
    print("\n" + section)
    if not args.no_write:
        write_report(section)
    return 0


def scale_counts(database_url: str):
    from bench.at_scale import COUNTS_SQL, Counts

    return Counts(*query(database_url, COUNTS_SQL)[0])


def sessions_export(args) -> dict:
    """The demo province's sessions export (bench/export_bench.py province_child: fresh processes)."""
    from bench.export_bench import province_export

    log(f"sessions export of {data.EXPORT_USER}'s province ({data.export_params(args.last_year)})")
    return province_export(
        database_url=args.database_url, username=data.EXPORT_USER, params=data.export_params(args.last_year)
    )


def figures_of(timing: Timed):
    from bench.at_scale import figures_of as figures

    shown = timing.rendered or timing  # a GET's rendered timing: no page cache
    return figures(shown.server_ms, shown.queries, percentile)


def at_scale_section(args, sessions, pages, timed, baselines, counts_one, export_one) -> str:
    """Every timed page, the plain SQL aggregate and (nation) the sessions export again at N× the sessions."""
    from bench import at_scale

    sql_label, sql = data.sql_baselines(args.scale)[0]
    sql_one = dict(baselines)[sql_label]
    log(f"growing the sessions {args.multiply}×")
    data.multiply(factor=args.multiply, manage=manage_runner(args.database_url))
    grown = []
    for page, one in zip(pages, timed, strict=True):
        log(f"timing at {args.multiply}×: {page.method} {page.path} as {page.user}")
        many = time_page(sessions[page.user], page, args.requests, render=page.method == "GET")
        if page.method == "POST":
            sessions[page.user].request("GET", "/")
        grown.append(at_scale.PageAtScale(page.label, page.user, figures_of(one), figures_of(many)))
    sql_many = statistics.median(time_sql(args.database_url, sql, 10))
    counts_many = scale_counts(args.database_url)
    export_many = sessions_export(args) if export_one else None
    document = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else ""
    # A page's queries at province scale, from the newest province run when it is of this very commit.
    commit, province_commit = git_commit(), at_scale.province_commit(document)
    comparable = args.scale == "nation" and province_commit is not None and province_commit == commit
    province = at_scale.province_queries(document) if comparable else {}
    n = f"{args.multiply}×"
    lines = [
        "",
        f"### Every page at 1× and {n} the sessions (`{n}`: bench.scale.sessions_multiply, figures rebuilt)",
        "",
        f"Scale `{args.scale}`"
        + (f", the first {args.provinces} provinces of today's list" if args.provinces else "")
        + ":",
        "",
        at_scale.counts_table([("1×", counts_one), (n, counts_many)]),
        "",
        f"Server time of each page ({args.requests} requests after {WARM_UP} warm-up, and {WARM_UP} at once before them; a GET rendered every time,"
        f" `X-Bench-Render`), against the plain SQL aggregate over sessions ({sql_one:.1f} ms at 1×, "
        f'{sql_many:.1f} ms at {n}: "{sql_label}", median of 10). Flat: the {n} median at most '
        f"{at_scale.FLAT_FACTOR}× the 1× median."
        + (
            f" Queries at province scale: those of the newest province run below ({at_scale.province_run(document)},"
            " the same commit)."
            if province
            else ""
        ),
        "",
        at_scale.pages_table(grown, factor=args.multiply, sql_one_ms=sql_one, sql_many_ms=sql_many, province=province),
        "",
    ]
    if export_one:
        lines += [
            f"Sessions export of {data.EXPORT_USER}'s province, year {args.last_year} (the class list's "
            '"Xuất Excel: Buổi học": reports.exports.classes.build_sessions → tthtcd_portal.xlsx.write_table, '
            "bench/export_bench.py province_child; each a fresh process after an untimed warm-up):",
            "",
            at_scale.export_table([("1×", export_one), (n, export_many)]),
            "",
        ]
    checks = at_scale.verdicts(
        grown,
        factor=args.multiply,
        sql_one_ms=sql_one,
        sql_many_ms=sql_many,
        national=data.NATIONAL_DASHBOARD if args.scale == "nation" else None,
        save_prefix=data.ATTENDANCE_SAVE,
        province=province,
        exports=(export_one, export_many) if export_one else None,
    )
    if args.scale == "nation" and not comparable:
        checks.append(
            f"queries as at province scale: not compared: the newest province run ({at_scale.province_run(document)})"
            f" is of commit {province_commit or 'unknown'}, this run of {commit}; run `make bench` at province scale"
            " on this commit first"
        )
    lines += ["Targets (issue 17 item 4):", "", *[f"- {line}" for line in checks], ""]
    return "\n".join(lines)


def loadtest(args) -> int:
    """Issue 9 item 7: 50 logged-in clients for 60 s over the main pages; no 5xx, no lost connection,
    the data checks of bench/data.py hold afterwards."""
    args.clients = 50 if args.clients == 20 else args.clients
    args.load_seconds = 60 if args.load_seconds == 15 else args.load_seconds
    prepare(args)
    server = Server(args.database_url, args.port)
    try:
        pages = data.main_pages(args.scale, lambda sql: query(args.database_url, sql))
        sessions = sessions_for(args.port, pages)
        targets = [(sessions[page.user], page.path) for page in pages]
        log(f"loadtest: {args.clients} clients, {args.load_seconds:.0f} s over {len(pages)} pages")
        result = python_load("Các trang chính", targets, args.clients, args.load_seconds)
    finally:
        server.stop()
    problems = data.check_after_load(query=lambda sql: query(args.database_url, sql), log=log)
    print(
        f"\nLoad test: {result.requests} requests in {result.seconds} s ({result.rps:.0f}/s), "
        f"p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, statuses {dict(result.statuses)}, "
        f"connection errors {result.errors}; data checks: {problems or 'all correct'}"
    )
    unexpected = {status: n for status, n in result.statuses.items() if status != 200}
    if result.server_errors or result.errors or unexpected or problems or not result.requests:
        print("FAILED: the portal must answer every request with 200 and keep its data right under load.")
        return 1
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    return loadtest(args) if args.loadtest else bench(args)


if __name__ == "__main__":
    sys.exit(main())
