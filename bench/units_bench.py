"""How long the national administrative-unit lists and the 2025 mapping take to import (issue 17.2: under a
minute each on SQLite and PostgreSQL, idempotent).

    python -m bench.units_bench                                   # SQLite (a throwaway file)
    python -m bench.units_bench --database-url postgres://postgres@127.0.0.1:5432/tthtcd_unitsbench
    python -m bench.units_bench --database-url … --record         # … and appends the table to docs/performance.md

Each step is the management command as an administrator runs it, in its own process, timed from the outside
(Python and Django start-up included, like `time manage.py …`). The database is migrated and EMPTIED first
(`flush`): give it a database of its own. Two registers: an empty one (the lists, then the mapping creates a
centre in each new commune), and one with a centre in each of the 10,051 old communes (the mapping then also
merges 10,051 centres, with their history).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
DATA = ROOT / "units" / "data"
TARGET_SECONDS = 60

CENTRE_PER_OLD_COMMUNE = """
from centres.models import Centre, centre_default_name
from units.models import REFORM_DATE, Commune
communes = Commune.objects.filter(valid_from__lt=REFORM_DATE).order_by("code")
Centre.objects.bulk_create([Centre(commune=c, name=centre_default_name(c)) for c in communes], batch_size=1000)
"""


def _manage(url: str, *args: str, quiet: bool = False) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tthtcd_portal.settings"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, "" if quiet else done.stdout.strip()


def _fresh(url: str) -> None:
    _manage(url, "migrate", "--noinput", quiet=True)
    _manage(url, "flush", "--noinput", quiet=True)


STEPS = [
    (
        "legacy list (63 provinces, 691 districts, 10,051 communes)",
        ["import_admin_units", "units/data/gso_legacy_vn.csv"],
    ),
    ("legacy list again", ["import_admin_units", "units/data/gso_legacy_vn.csv"]),
    ("2025 list (34 provinces, 3,321 communes)", ["import_admin_units", "units/data/gso_2025_vn.csv"]),
    ("2025 list again", ["import_admin_units", "units/data/gso_2025_vn.csv"]),
    (
        "national mapping (10,554 rows)",
        ["import_commune_mapping", "units/data/commune_mapping_2025_vn.csv", "--end-unmapped"],
    ),
    ("national mapping again", ["import_commune_mapping", "units/data/commune_mapping_2025_vn.csv", "--end-unmapped"]),
]


def run(url: str) -> list[tuple[str, float, str]]:
    results = []
    _fresh(url)
    for label, args in STEPS:
        seconds, out = _manage(url, *args)
        results.append((f"empty register: {label}", seconds, out.splitlines()[1] if out else ""))
    _fresh(url)
    for _label, args in (STEPS[0], STEPS[2]):  # both lists, untimed
        _manage(url, *args, quiet=True)
    _manage(url, "shell", "-c", CENTRE_PER_OLD_COMMUNE, quiet=True)
    for label, args in STEPS[4:]:
        seconds, out = _manage(url, *args)
        results.append((f"a centre in every old commune: {label}", seconds, out.splitlines()[1] if out else ""))
    return results


def table(url: str, results) -> str:
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    lines = [
        f"### {vendor}, run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} +0000",
        "",
        f"`python -m bench.units_bench` (CPython {platform.python_version()}, {os.cpu_count()} CPUs, shared). "
        f"Target: under {TARGET_SECONDS} s each.",
        "",
        "| step | seconds | what it did |",
        "| --- | ---: | --- |",
    ]
    for label, seconds, what in results:
        lines.append(f"| {label} | {seconds:.1f} | {what} |")
    slowest = max(seconds for _label, seconds, _what in results)
    lines += [
        "",
        f"- slowest step {slowest:.1f} s (target < {TARGET_SECONDS} s): {'met' if slowest < TARGET_SECONDS else 'MISSED'}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a throwaway SQLite file")
    parser.add_argument("--record", action="store_true", help="append the table to docs/performance.md")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{folder}/units_bench.sqlite3"
        text = table(url, run(url))
    print(text)
    if options.record:
        with PERFORMANCE_MD.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
