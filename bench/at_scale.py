"""Every timed page at 1× and N× the sessions, the sessions export at both, and the targets of issue 17 item 4:
the tables bench/run.py appends to its report (pure functions, unit-tested in tests/platform/test_bench_helpers.py).

- the national dashboard at most NATIONAL_RATIO × the plain SQL aggregate over sessions, and flat;
- "flat": the N× median within FLAT_FACTOR × the 1× median (the rule is said in the table's heading);
- the attendance save under SAVE_TARGET_MS with the queries of the province-scale run;
- a province's sessions export at EXPORT_ROWS_PER_S or more, its peak memory (ru_maxrss delta in a fresh
  process) at N× no more than MEMORY_SLACK_MB above 1×;
- every page's queries those of the newest province-scale run in docs/performance.md.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

FLAT_FACTOR = 1.5
NATIONAL_RATIO = 0.01
SAVE_TARGET_MS = 15
EXPORT_ROWS_PER_S = 10_000
MEMORY_SLACK_MB = 50  # the sessions export's bound of issue 7 (bench/export_bench.py TARGET_EXTRA_MB)


@dataclass(frozen=True)
class Figures:
    """One page's server time and queries at one size (the rendered timing of a GET: no page cache)."""

    median_ms: float
    p95_ms: float
    queries: frozenset[int]

    @property
    def queries_text(self) -> str:
        return ", ".join(str(q) for q in sorted(self.queries))


@dataclass(frozen=True)
class PageAtScale:
    label: str
    user: str
    one: Figures
    many: Figures


def flat(one_ms: float, many_ms: float) -> bool:
    """The N× median within FLAT_FACTOR × the 1× median."""
    return many_ms <= FLAT_FACTOR * one_ms


def ratio(page_ms: float, sql_ms: float) -> float:
    return page_ms / sql_ms if sql_ms else float("inf")


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


PROVINCE_RUN = re.compile(r"^(## Run of [^\n]*scale `province`[^\n]*)\n(.*?)(?=^## |\Z)", re.M | re.S)


def province_run(document: str) -> str | None:
    """The heading of the newest province-scale run in docs/performance.md, or None."""
    match = PROVINCE_RUN.search(document)
    return match.group(1)[3:] if match else None


def province_commit(document: str) -> str | None:
    """The commit the newest province-scale run names on its machine line (bench/run.py since issue 17), or None
    (an older run, or one of a work tree with uncommitted changes)."""
    match = PROVINCE_RUN.search(document)
    found = re.search(r"; commit ([0-9a-f]{7,40})(?: with uncommitted changes)?\.", match.group(2)) if match else None
    return found.group(1) if found and "uncommitted" not in found.group(0) else None


def province_queries(document: str) -> dict[tuple[str, str], frozenset[int]]:
    """(page, user) → the queries of the newest province-scale run in docs/performance.md (its rendered
    queries for a GET, its queries for a POST); empty when there is none."""
    match = PROVINCE_RUN.search(document)
    if not match:
        return {}
    lines = [line for line in match.group(2).splitlines() if line.startswith("| ")]
    header = next((line for line in lines if line.startswith("| page | user |")), None)
    if header is None:
        return {}
    names = [cell.strip() for cell in header.strip("|").split("|")]
    out = {}
    for line in lines[lines.index(header) + 1 :]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != len(names):
            break
        row = dict(zip(names, cells, strict=True))
        text = row.get("rendered: queries") or row.get("queries", "")
        numbers = frozenset(int(n) for n in re.findall(r"\d+", text))
        if numbers:
            out[(row["page"], row["user"])] = numbers
    return out


def pages_table(
    pages: list[PageAtScale],
    *,
    factor: int,
    sql_one_ms: float,
    sql_many_ms: float,
    province: dict[tuple[str, str], frozenset[int]],
) -> str:
    """Every timed page at 1× and factor×: server median and p95, queries, ratio to the plain SQL aggregate of
    the same size, flat or not, and the queries of the province-scale run."""
    many = f"{factor}×"
    rows = []
    for page in pages:
        at_province = province.get((page.label, page.user))
        same = "" if at_province is None else ("yes" if at_province == page.one.queries else "no: " + ", ".join(
            str(q) for q in sorted(at_province)))  # fmt: skip
        rows.append(
            [
                page.label,
                page.user,
                f"{page.one.median_ms:.1f}",
                f"{page.one.p95_ms:.1f}",
                page.one.queries_text,
                f"{page.many.median_ms:.1f}",
                f"{page.many.p95_ms:.1f}",
                page.many.queries_text,
                f"{ratio(page.one.median_ms, sql_one_ms):.4f}",
                f"{ratio(page.many.median_ms, sql_many_ms):.4f}",
                "yes" if flat(page.one.median_ms, page.many.median_ms) else "no",
                same,
            ]
        )
    return _table(
        [
            "page",
            "user",
            "1× median ms",
            "1× p95 ms",
            "1× queries",
            f"{many} median ms",
            f"{many} p95 ms",
            f"{many} queries",
            "÷ SQL aggregate 1×",
            f"÷ SQL aggregate {many}",
            f"flat ({many} median ≤ {FLAT_FACTOR}× the 1× median)",
            "queries as at province scale",
        ],  # fmt: skip
        rows,
    )


@dataclass(frozen=True)
class Counts:
    provinces: int
    centres: int
    classes: int
    sessions: int
    participations: int


COUNTS_SQL = (
    "SELECT (SELECT COUNT(*) FROM units_province WHERE valid_until IS NULL), (SELECT COUNT(*) FROM centres_centre),"
    " (SELECT COUNT(*) FROM courses_course), COUNT(*), COALESCE(SUM(present), 0) FROM courses_classsession"
)


def counts_table(sizes: list[tuple[str, Counts]]) -> str:
    return _table(
        [
            "sessions",
            "provinces (today)",
            "centres (all, 2019 to today)",
            "classes",
            "sessions",
            "learner-participations",
        ],  # fmt: skip
        [
            [label, f"{c.provinces:,}", f"{c.centres:,}", f"{c.classes:,}", f"{c.sessions:,}", f"{c.participations:,}"]
            for label, c in sizes
        ],  # fmt: skip
    )


def export_table(sizes: list[tuple[str, dict]]) -> str:
    return _table(
        ["sessions", "rows", "seconds", "rows/s", "ru_maxrss delta MB", "process MB", "file MB", "read from"],
        [
            [
                label,
                f"{r['rows']:,}",
                f"{r['seconds']:.2f}",
                f"{r['rows_per_s']:,.0f}",
                f"{r['maxrss_delta_mb']:.1f}",
                f"{r['maxrss_mb']:.0f}",
                f"{r['file_mb']:.1f}",
                r["read_db"],
            ]
            for label, r in sizes
        ],  # fmt: skip
    )


def _met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def verdicts(
    pages: list[PageAtScale],
    *,
    factor: int,
    sql_one_ms: float,
    sql_many_ms: float,
    national: str | None,
    save_prefix: str,
    province: dict[tuple[str, str], frozenset[int]],
    exports: tuple[dict, dict] | None,
) -> list[str]:
    """The targets, one line each: what was measured against what was asked."""
    out = []
    dash = next((p for p in pages if p.label == national), None) if national else None
    if dash:
        one, many = ratio(dash.one.median_ms, sql_one_ms), ratio(dash.many.median_ms, sql_many_ms)
        out.append(
            f"national dashboard ≤ {NATIONAL_RATIO} × the plain aggregate: {one:.4f} at 1×, {many:.4f} at "
            f"{factor}×: {_met(max(one, many) <= NATIONAL_RATIO)}; flat ({dash.one.median_ms:.1f} → "
            f"{dash.many.median_ms:.1f} ms): {_met(flat(dash.one.median_ms, dash.many.median_ms))}"
        )
    save = next((p for p in pages if p.label.startswith(save_prefix)), None)
    if save:
        at_province = province.get((save.label, save.user))
        same = (
            f"queries {save.one.queries_text} at 1×, {save.many.queries_text} at {factor}×"
            if at_province is None
            else f"queries {save.one.queries_text} (province scale: {', '.join(map(str, sorted(at_province)))}): "
            + _met(at_province == save.one.queries == save.many.queries)
        )
        worst = max(save.one.median_ms, save.many.median_ms)
        out.append(
            f"attendance save < {SAVE_TARGET_MS} ms: {save.one.median_ms:.1f} ms at 1×, {save.many.median_ms:.1f} ms "
            f"at {factor}×: {_met(worst < SAVE_TARGET_MS)}; {same}"
        )
    if exports:
        one, many = exports
        slower = min(one["rows_per_s"], many["rows_per_s"])
        out.append(
            f"sessions export ≥ {EXPORT_ROWS_PER_S:,} rows/s: {one['rows_per_s']:,.0f} at 1×, "
            f"{many['rows_per_s']:,.0f} at {factor}×: {_met(slower >= EXPORT_ROWS_PER_S)}; peak memory flat "
            f"(ru_maxrss delta {one['maxrss_delta_mb']:.1f} → {many['maxrss_delta_mb']:.1f} MB, ≤ +{MEMORY_SLACK_MB} MB): "
            + _met(many["maxrss_delta_mb"] <= one["maxrss_delta_mb"] + MEMORY_SLACK_MB)
        )
    compared = [p for p in pages if (p.label, p.user) in province]
    differ = [p for p in compared if province[(p.label, p.user)] != p.one.queries]
    if province:
        out.append(
            f"queries as at province scale: {len(compared) - len(differ)} of {len(compared)} pages the same"
            + (f" (differ: {', '.join(f'{p.label} ({p.user})' for p in differ)})" if differ else "")
            + f": {_met(not differ)}"
        )
    return out


def figures_of(server_ms: list[float], queries: set[int], percentile) -> Figures:
    return Figures(statistics.median(server_ms), percentile(server_ms, 95), frozenset(queries))
