"""Speed and memory of the sessions export (issue 7: 200,000 rows at ≥ 5,000 rows/s, peak memory no more
than 50 MB above the same export of 2,000 rows).

    python -m bench.export_bench                        # 2,000 and 200,000 rows, prints the figures
    python -m bench.export_bench --sizes 2000 200000 --record   # … and appends them to docs/performance.md

Runs against a throwaway PostgreSQL database (EXPORT_BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/tthtcd_exportbench, created and migrated if missing). Each size gets its
own province (one official, one centre, classes of 50 sessions) made once with bulk_create. Every
measurement runs in a fresh Python process, so that ru_maxrss (a process's high-water mark) starts from
the same baseline: one run times the export (rows/s, ru_maxrss delta), another traces Python allocations
(tracemalloc peak; tracing slows the run, so its time is not reported). The export is exactly what the
"Xuất Excel" button of the class list runs: reports.exports.classes.build_sessions → tthtcd_portal.xlsx.write_table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tthtcd_exportbench"
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SESSIONS_PER_CLASS = 50
TARGET_ROWS_PER_S = 5000
TARGET_EXTRA_MB = 50


def _url() -> str:
    return os.environ.get("EXPORT_BENCH_DATABASE_URL", DEFAULT_URL)


def _env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _url(),
        "DJANGO_SETTINGS_MODULE": "tthtcd_portal.settings",
        "DJANGO_DEBUG": "0",
        # Random: with DJANGO_DEBUG=0 the portal refuses any key written in the repository.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }


# --- Child process: one measurement --------------------------------------------------------------------


def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def _official_for(size: int):
    """The province of this size with its official, centre and `size` sessions (made once, bulk_create)."""
    from accounts.models import User
    from centres.models import Centre
    from courses.models import ClassSession, Course, ProgrammeKind
    from units.models import Commune, District, Province

    code = f"9{len(str(size))}"  # 2,000 → "94", 200,000 → "96": one province per size
    province, _ = Province.objects.get_or_create(
        code=code, defaults={"name": f"Tỉnh Đo Tốc Độ {size}", "valid_from": datetime.date(2000, 1, 1)}
    )
    district, _ = District.objects.get_or_create(
        code=f"{code}0",
        defaults={"province": province, "name": "Huyện Đông Hưng", "valid_from": datetime.date(2000, 1, 1)},
    )
    commune, _ = Commune.objects.get_or_create(
        code=f"{code}001",
        defaults={
            "province": province,
            "district": district,
            "name": "Xã Đông Phương",
            "kind": Commune.Kind.XA,
            "valid_from": datetime.date(2000, 1, 1),
        },
    )
    centre, _ = Centre.objects.get_or_create(
        commune=commune, defaults={"name": "Trung tâm học tập cộng đồng xã Đông Phương"}
    )
    user, _ = User.objects.get_or_create(
        username=f"bench_official_{size}",
        defaults={"role": User.Role.PROVINCE, "province": province, "first_name": "Đo", "last_name": "Tốc Độ"},
    )
    have = ClassSession.objects.filter(course__centre=centre).count()
    if have != size:
        ClassSession.objects.filter(course__centre=centre).delete()
        Course.objects.filter(centre=centre).delete()
        kinds = list(ProgrammeKind.objects.all()) or [ProgrammeKind.objects.create(code="khac", name="Khác")]
        classes = Course.objects.bulk_create(
            Course(
                centre=centre,
                programme_kind=kinds[n % len(kinds)],
                title=f"Chuyên đề khuyến nông số {n + 1}: kỹ thuật trồng lúa",
                start_date=datetime.date(2024, 1, 1),
                end_date=datetime.date(2024, 12, 31),
                planned_sessions=SESSIONS_PER_CLASS,
            )
            for n in range(-(-size // SESSIONS_PER_CLASS))
        )
        batch = []
        for n in range(size):
            present = 20 + n % 80
            batch.append(
                ClassSession(
                    course=classes[n // SESSIONS_PER_CLASS],
                    date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 366),
                    topic=f"Buổi {n % SESSIONS_PER_CLASS + 1}: phòng trừ sâu bệnh",
                    instructor_name="Nguyễn Thị Hương",
                    hours="2.5",
                    place="Nhà văn hóa thôn Đông",
                    present=present,
                    women=present // 2,
                    minorities=n % 3,
                )
            )
            if len(batch) == 10000:
                ClassSession.objects.bulk_create(batch)
                batch = []
        ClassSession.objects.bulk_create(batch)
    return user


def _export(user) -> int:
    from reports.exports.classes import build_sessions
    from tthtcd_portal.xlsx import write_table

    spec = build_sessions(user, {"nam": "2024"})
    path = write_table(title=spec.title, context=spec.context, columns=spec.columns, rows=spec.rows)
    size = os.path.getsize(path)
    os.unlink(path)
    return size


def child(size: int, mode: str) -> dict:
    _setup()
    user = _official_for(size)
    if mode == "prepare":
        return {"size": size}
    from django.db import connection

    connection.ensure_connection()
    if mode == "trace":
        import tracemalloc

        tracemalloc.start()
        _export(user)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"size": size, "tracemalloc_peak_mb": peak / 2**20}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    file_size = _export(user)
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "size": size,
        "seconds": elapsed,
        "rows_per_s": size / elapsed,
        "maxrss_delta_mb": (rss_after - rss_before) / 1024,  # ru_maxrss is in KiB on Linux
        "maxrss_mb": rss_after / 1024,
        "file_mb": file_size / 2**20,
    }


def province_child(username: str, params: dict) -> dict:
    """One province's sessions export as an official of it runs it (bench/run.py at --scale nation): the rows,
    the time, this process's CPU time and ru_maxrss delta of build_sessions → write_table, and the database it
    read (read_db()).

        python -c 'import json; from bench.export_bench import province_export as p; print(json.dumps(p(
            database_url="postgres://postgres@127.0.0.1:5432/tthtcd_natscale", username="demo_tinh",
            params={"nam": "2025"})))'
    """
    _setup()
    from django.db import connections

    from accounts.models import User
    from reports.exports.classes import build_sessions
    from tthtcd_portal.db_router import read_db
    from tthtcd_portal.xlsx import write_table

    user = User.objects.get(username=username)
    alias = read_db()
    connections[alias].ensure_connection()
    rows = [0]

    def counted(source):
        for row in source:
            rows[0] += 1
            yield row

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    spec = build_sessions(user, params)
    path = write_table(title=spec.title, context=spec.context, columns=spec.columns, rows=counted(spec.rows))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    file_size = os.path.getsize(path)
    os.unlink(path)
    return {
        "rows": rows[0],
        "seconds": elapsed,
        "rows_per_s": rows[0] / elapsed if elapsed else 0.0,
        # This process's CPU (not the database's): the figure that holds on a loaded machine.
        "cpu_seconds": cpu,
        "rows_per_cpu_s": rows[0] / cpu if cpu else 0.0,
        "maxrss_delta_mb": (rss_after - rss_before) / 1024,  # ru_maxrss is in KiB on Linux
        "maxrss_mb": rss_after / 1024,
        "file_mb": file_size / 2**20,
        "read_db": alias,
    }


def province_export(*, database_url: str, username: str, params: dict, extra_env: dict | None = None) -> dict:
    """province_child in a fresh process after an untimed warm-up run in another (the database's caches)."""
    env = {**_env(), "DATABASE_URL": database_url, **(extra_env or {})}
    command = [sys.executable, "-m", "bench.export_bench", "--province-export", username, "--params",
               json.dumps(params)]  # fmt: skip
    result = {}
    for _ in range(2):
        out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --- Parent process ------------------------------------------------------------------------------------


def _run_child(size: int, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.export_bench", "--child", str(size), "--mode", mode],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _prepare_database() -> None:
    from bench.run import ensure_database

    ensure_database(_url())
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=_env(), check=True)


def measure(sizes: list[int]) -> list[dict]:
    _prepare_database()
    results = []
    for size in sizes:
        _run_child(size, "prepare")
        _run_child(size, "time")  # warm the database's caches; not reported
        timed = _run_child(size, "time")
        traced = _run_child(size, "trace")
        results.append({**timed, **traced})
        print(
            f"{size:>9,} rows: {timed['seconds']:6.2f} s, {timed['rows_per_s']:>8,.0f} rows/s, "
            f"tracemalloc peak {traced['tracemalloc_peak_mb']:6.1f} MB, ru_maxrss +{timed['maxrss_delta_mb']:6.1f} MB "
            f"(process {timed['maxrss_mb']:.0f} MB), file {timed['file_mb']:.1f} MB",
            flush=True,
        )
    return results


def verdict(results: list[dict]) -> list[str]:
    """The targets checked on the largest size against the smallest."""
    small, large = results[0], results[-1]
    extra_traced = large["tracemalloc_peak_mb"] - small["tracemalloc_peak_mb"]
    extra_rss = large["maxrss_delta_mb"] - small["maxrss_delta_mb"]
    return [
        f"rows/s at {large['size']:,}: {large['rows_per_s']:,.0f} (target ≥ {TARGET_ROWS_PER_S:,}): "
        + ("met" if large["rows_per_s"] >= TARGET_ROWS_PER_S else "NOT MET"),
        f"peak memory above the {small['size']:,}-row export: tracemalloc +{extra_traced:.1f} MB, "
        f"ru_maxrss +{extra_rss:.1f} MB (target ≤ {TARGET_EXTRA_MB} MB): "
        + ("met" if max(extra_traced, extra_rss) <= TARGET_EXTRA_MB else "NOT MET"),
    ]


def markdown(results: list[dict], checks: list[str]) -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M +0000")
    lines = [
        "",
        f"### Sessions export, run of {stamp}",
        "",
        f"`python -m bench.export_bench --sizes {' '.join(str(r['size']) for r in results)} --record` on "
        f"PostgreSQL ({platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs). "
        "Each figure from a fresh process; the timed run follows an untimed warm-up run.",
        "",
        "| rows | seconds | rows/s | tracemalloc peak | ru_maxrss delta | file |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['seconds']:.2f} | {r['rows_per_s']:,.0f} | {r['tracemalloc_peak_mb']:.1f} MB "
            f"| {r['maxrss_delta_mb']:.1f} MB | {r['file_mb']:.1f} MB |"
        )
    lines += ["", *[f"- {c}" for c in checks], ""]
    return "\n".join(lines)


def record(text: str) -> None:
    """Append under the "Export speed" heading (added at the end of the file the first time)."""
    current = PERFORMANCE_MD.read_text(encoding="utf-8")
    if "\n## Export speed\n" not in current:
        current = current.rstrip("\n") + "\n\n## Export speed\n\n" + EXPORT_SPEED_INTRO
    PERFORMANCE_MD.write_text(current.rstrip("\n") + "\n" + text, encoding="utf-8")


EXPORT_SPEED_INTRO = """The sessions export (`reports:export` `buoi-hoc`, the class list's "Xuất Excel: Buổi học") measured by
`bench/export_bench.py`: rows streamed from PostgreSQL with `values_list(...).iterator(chunk_size=2000)`
(a server-side cursor, 13 columns, no model instances), the rows written as sheet XML by
`tthtcd_portal/xlsx.py` into openpyxl's write-only sheet, one style per typed column. Targets (issue 7): ≥ 5,000 rows/s at 200,000 rows, peak memory ≤ 50 MB above
the 2,000-row export.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 200000])
    parser.add_argument("--record", action="store_true", help="append the figures to docs/performance.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["prepare", "time", "trace"], default="time", help=argparse.SUPPRESS)
    parser.add_argument("--province-export", metavar="USERNAME", help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.province_export:
        print(json.dumps(province_child(args.province_export, json.loads(args.params))))
        return
    if args.child:
        print(json.dumps(child(args.child, args.mode)))
        return
    results = measure(sorted(args.sizes))
    checks = verdict(results)
    print("\n".join(checks))
    if args.record:
        record(markdown(results, checks))
        print(f"recorded in {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
