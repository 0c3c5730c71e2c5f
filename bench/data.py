"""The benchmark's data and pages: the part bench/run.py leaves to the apps.

Today (registry, classes and dashboards are being built on other branches) the data is the demo province
(`seed_demo`) and the pages are the home page and the units import page. At merge, complete:
  - prepare(): `seed_demo --scale province|nation --years N` (issue 8: ~300 centres × 10 years ≈ 150,000
    classes and 1.2 million sessions in under five minutes on PostgreSQL, bulk inserts);
  - pages(): the province and district dashboards, the centre list, a centre page, saving a 60-learner
    attendance grid (a POST page: Page(..., method="POST", data=...));
  - sql_baselines(): the plain SQL aggregate over sessions (participations by district and year) the
    dashboard is compared with, and its 4× variant;
  - check_after_load(): the figures that must still be right after the load test (CentreYearFigure equals
    a recount from the raw sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

DEMO_PASSWORD = "tthtcd-demo-2026"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    user: str  # a demo account; the runner logs in once per account
    method: str = "GET"
    data: dict = field(default_factory=dict)  # form fields of a POST (the CSRF token is added)


def prepare(*, scale: str, years: int, manage: Callable[..., None], log: Callable[[str], None]) -> None:
    """Make sure the benchmark database holds the data for `scale`. `manage(*args, debug=False)` runs
    manage.py against it (debug=True for commands that only run in development, such as seed_demo)."""
    if scale == "demo":
        manage("seed_demo", "--if-empty", debug=True)
        return
    raise SystemExit(
        f"--scale {scale} needs the scale-data generator (seed_demo --scale {scale} --years {years}), which "
        "comes with the classes models: complete bench/data.py:prepare() at merge."
    )


def pages(scale: str) -> list[Page]:
    """Pages timed one request at a time (server time median/p95, query count)."""
    return [
        Page("Trang chủ (chuyên viên Sở)", "/", "demo_tinh"),
        Page("Trang chủ (cán bộ TTHTCĐ)", "/", "demo_xa"),
        Page("Nhập đơn vị hành chính (quản trị)", "/don-vi/nhap/", "demo_admin"),
    ]


def load_pages(scale: str) -> list[Page]:
    """Pages put under load (20 clients, 30 s each), compared with the trivial view."""
    return [Page("Trang chủ (chuyên viên Sở)", "/", "demo_tinh")]


def main_pages(scale: str) -> list[Page]:
    """The mix of the reliability load test (50 clients, 60 s): every main page, every role."""
    return [
        Page("Trang chủ", "/", "demo_tinh"),
        Page("Trang chủ", "/", "demo_huyen"),
        Page("Trang chủ", "/", "demo_xa"),
        Page("Nhập đơn vị hành chính", "/don-vi/nhap/", "demo_admin"),
    ]


def sql_baselines(scale: str) -> list[tuple[str, str]]:
    """(label, SQL) timed directly on the database, to compare pages with. Empty until sessions exist."""
    return [
        ("Đếm xã theo huyện (mẫu)", "SELECT district_id, count(*) FROM units_commune GROUP BY district_id"),
    ]


def check_after_load(*, query: Callable[[str], list[tuple]], log: Callable[[str], None]) -> list[str]:
    """Problems found in the data after the load test (empty: all figures correct). `query(sql)` returns
    rows from the benchmark database."""
    (orphans,) = query(
        "SELECT count(*) FROM centres_centre c LEFT JOIN units_commune u ON u.id = c.commune_id WHERE u.id IS NULL"
    )[0]
    return [f"{orphans} centres without a commune"] if orphans else []
