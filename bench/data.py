"""The benchmark's data and pages: the part bench/run.py leaves to the apps.

- prepare(): the demo province (`seed_demo`, Hưng Yên after the 2025 reform) and, on top, `bench.scale`
  (province: 104 centres × 10 years × 62 classes × 8 sessions ≈ 65,000 classes, 516,000 sessions, by COPY);
- main_pages(): every main page of every app as the role that uses it; those with a `target` (issue 18: a
  share of the trivial view's requests per second) are put under load (load_pages());
- pages(): main_pages() and saving a 60-learner attendance grid (a POST page);
- slow_link_pages(): the main pages of each role that bench/slow_link.py opens in throttled Chromium;
- sql_baselines(): the plain SQL aggregate over sessions (participations by district and year) the
  dashboard is compared with, and its 4× variant;
- check_after_load(): the figures that must still be right after the load test (CentreYearFigure equals
  a recount from the raw sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

DEMO_PASSWORD = "tthtcd-demo-2026"
BENCH_ROSTER_TITLE = "Lớp đo hiệu năng: 60 học viên"
BENCH_COMMUNE_CODE = "12694"  # demo_xa's centre


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    user: str  # a demo account; the runner logs in once per account
    method: str = "GET"
    data: dict = field(default_factory=dict)  # form fields of a POST (the CSRF token is added)
    target: float | None = None  # under load: requests per second at least this × the trivial view's (issue 18)


def prepare(
    *, scale: str, years: int, manage: Callable[..., None], log: Callable[[str], None], provinces: int | None = None
) -> None:
    """Make sure the benchmark database holds the data for `scale` (nation: the first `provinces` provinces, or
    all). `manage(*args, debug=False)` runs manage.py against it (debug=True for commands that only run in
    development, such as seed_demo)."""
    manage(
        "shell",
        "-c",
        f"from bench.scale import load; load(scale={scale!r}, years={years}, log=print, provinces={provinces!r})",
        debug=True,
    )
    manage("shell", "-c", "from bench.scale import bench_roster; bench_roster(log=print)", debug=True)
    manage("shell", "-c", f"from bench.scale import accounts_check; accounts_check({ACCOUNTS!r}, log=print)")
    manage("shell", "-c", "from bench.scale import vacuum; vacuum(log=print)", debug=True)


def multiply(*, factor: int, manage: Callable[..., None]) -> None:
    """Grow the sessions (factor ×) for the flatness check; the figures are rebuilt."""
    manage(
        "shell",
        "-c",
        f"from bench.scale import sessions_multiply; sessions_multiply(factor={factor}, log=print)",
        debug=True,
    )


Query = Callable[[str], list[tuple]]


def _one(query: Query, sql: str):
    rows = query(sql)
    return rows[0][0] if rows else None


def bench_ids(query: Query) -> dict:
    title = BENCH_ROSTER_TITLE.replace("'", "''")
    session = _one(
        query,
        "SELECT s.id FROM courses_classsession s JOIN courses_course c ON c.id = s.course_id "
        f"WHERE c.title = '{title}' ORDER BY s.id LIMIT 1",
    )
    course = _one(query, f"SELECT id FROM courses_course WHERE title = '{title}' ORDER BY id LIMIT 1")
    enrolments = [
        row[0]
        for row in query(
            "SELECT e.id FROM courses_enrolment e JOIN courses_course c ON c.id = e.course_id "
            f"WHERE c.title = '{title}' ORDER BY e.id"
        )
    ]
    centre = _one(
        query,
        "SELECT ce.id FROM centres_centre ce JOIN units_commune u ON u.id = ce.commune_id "
        f"WHERE u.code = '{BENCH_COMMUNE_CODE}' AND ce.status = 'active'",
    )
    district = _one(query, "SELECT id FROM units_district WHERE code = '340' ORDER BY valid_from LIMIT 1")
    office = _one(query, "SELECT office_id FROM accounts_user WHERE username = 'demo_huyen'")
    return {
        "session": session,
        "course": course,
        "enrolments": enrolments,
        "centre": centre,
        "district": district,
        "office": office,
    }


# Targets of issue 18 under 20 clients, as a share of the trivial view's requests per second.
LIST_TARGET = 0.25
DASHBOARD_TARGET = 0.4
CENTRE_TARGET = 0.3


def main_pages(scale: str, query: Query) -> list[Page]:
    """Every main page of every app, as the role that uses it (GET). Timed one at a time (server time, queries),
    put under load (those with a target) and mixed in the reliability load test."""
    ids = bench_ids(query)
    return [
        Page("Trang chủ (Sở)", "/", "demo_tinh"),
        Page("Trang chủ (Phòng)", "/", "demo_huyen"),
        Page("Trang chủ (trung tâm)", "/", "demo_xa"),
        Page("Danh sách trung tâm", "/trung-tam/", "demo_tinh", target=LIST_TARGET),
        Page("Danh sách trung tâm (Phòng)", "/trung-tam/", "demo_huyen", target=LIST_TARGET),
        Page("Trang trung tâm", f"/trung-tam/{ids['centre']}/", "demo_xa", target=CENTRE_TARGET),
        Page("Lớp học (trung tâm)", "/lop-hoc/", "demo_xa", target=LIST_TARGET),
        Page("Lớp học (Phòng)", "/lop-hoc/", "demo_huyen", target=LIST_TARGET),
        Page("Lớp học (Sở)", "/lop-hoc/", "demo_tinh", target=LIST_TARGET),
        Page("Một lớp học", f"/lop-hoc/{ids['course']}/", "demo_xa"),
        Page("Học viên", "/lop-hoc/hoc-vien/", "demo_xa", target=LIST_TARGET),
        Page("Điểm danh 60 học viên", f"/lop-hoc/buoi/{ids['session']}/diem-danh/", "demo_xa", target=CENTRE_TARGET),
        Page("Bảng số liệu toàn tỉnh", "/bao-cao/", "demo_tinh", target=DASHBOARD_TARGET),
        Page("Bảng số liệu huyện", f"/bao-cao/huyen/{ids['district']}/", "demo_tinh"),
        Page("Bảng số liệu (Phòng GD&ĐT)", "/bao-cao/", "demo_huyen"),
        # A commune's figures: its centre's page of the dashboard (reports:centre), by year against its district.
        Page("Số liệu của một xã", f"/bao-cao/trung-tam/{ids['centre']}/", "demo_xa"),
        Page("Đánh giá xếp loại (Sở)", "/danh-gia/", "demo_tinh", target=LIST_TARGET),
        Page("Đánh giá xếp loại (Phòng)", "/danh-gia/", "demo_huyen", target=LIST_TARGET),
        Page("Phiếu của một Phòng", f"/danh-gia/don-vi/{ids['office']}/", "demo_tinh", target=LIST_TARGET),
        Page("Nhật ký thay đổi", "/bao-cao/nhat-ky/", "demo_tinh", target=LIST_TARGET),
        Page("Tập huấn", "/tap-huan/", "demo_tinh", target=LIST_TARGET),
        Page("Học liệu", "/hoc-lieu/", "demo_xa", target=LIST_TARGET),
        Page("Nhắc việc", "/nhac-viec/", "demo_xa"),
        Page("Báo cáo", "/bao-cao/xuat/", "demo_tinh"),
        Page("Tài khoản", "/tai-khoan/quan-ly/", "demo_tinh", target=LIST_TARGET),
        Page("Nhập đơn vị hành chính", "/don-vi/nhap/", "demo_admin"),
        *(NATIONAL_PAGES if scale == "nation" else []),
    ]


# The Ministry's pages (issue 17 item 4): the national dashboard by province, by today's provinces (the
# same-territory series), and the national centre list. The provincial dashboard (demo_tinh's), a commune's
# figures, the centre list and page and the attendance save are among every scale's pages.
NATIONAL_DASHBOARD = "Bảng số liệu toàn quốc"
NATIONAL_PAGES = [
    Page(NATIONAL_DASHBOARD, "/bao-cao/", "demo_bo", target=DASHBOARD_TARGET),
    Page("Toàn quốc, cùng địa bàn", "/bao-cao/?nhom=today", "demo_bo", target=DASHBOARD_TARGET),
    Page("Danh sách trung tâm (Bộ)", "/trung-tam/", "demo_bo", target=LIST_TARGET),
]


def pages(scale: str, query: Query) -> list[Page]:
    """Pages timed one request at a time (server time median/p95, query count): every main page and saving a
    60-learner attendance grid."""
    ids = bench_ids(query)
    grid = {f"a-{ids['session']}-{e}": "on" for e in ids["enrolments"]}
    return [
        *main_pages(scale, query),
        Page(
            f"{ATTENDANCE_SAVE} {len(ids['enrolments'])} học viên",
            f"/lop-hoc/buoi/{ids['session']}/diem-danh/",
            "demo_xa",
            method="POST",
            data=grid,
        ),
    ]


def slow_link_pages(scale: str, query: Query) -> dict[str, list[Page]]:
    """The main pages of each role for the slow-link measurement (bench/slow_link.py), opened in this order
    after logging in; the centre staff's first is their centre's page (the issue's first-visit target)."""
    ids = bench_ids(query)
    return {
        "demo_xa": [
            Page("Trang trung tâm", f"/trung-tam/{ids['centre']}/", "demo_xa"),
            Page("Trang chủ", "/", "demo_xa"),
            Page("Lớp học", "/lop-hoc/", "demo_xa"),
            Page("Điểm danh 60 học viên", f"/lop-hoc/buoi/{ids['session']}/diem-danh/", "demo_xa"),
            Page("Học viên", "/lop-hoc/hoc-vien/", "demo_xa"),
        ],
        "demo_huyen": [
            Page("Trang chủ", "/", "demo_huyen"),
            Page("Danh sách trung tâm", "/trung-tam/", "demo_huyen"),
            Page("Bảng số liệu", "/bao-cao/", "demo_huyen"),
            Page("Đánh giá xếp loại", "/danh-gia/", "demo_huyen"),
        ],
        "demo_tinh": [
            Page("Trang chủ", "/", "demo_tinh"),
            Page("Danh sách trung tâm", "/trung-tam/", "demo_tinh"),
            Page("Bảng số liệu toàn tỉnh", "/bao-cao/", "demo_tinh"),
            Page("Nhật ký thay đổi", "/bao-cao/nhat-ky/", "demo_tinh"),
        ],
    }


ATTENDANCE_SAVE = "Lưu điểm danh"  # the start of the POST page's label (its learner count follows)


def export_params(last_year: int) -> dict:
    """The class list's filter for the sessions export the benchmark times: one province's last full year, the
    rows its "Xuất Excel: Buổi học" writes for demo_tinh (bench/export_bench.py province_child)."""
    return {"nam": str(last_year)}


EXPORT_USER = "demo_tinh"

# Every account the pages above log in as: made by seed_demo (DJANGO_DEBUG=1: portal/demo.py seed_users).
ACCOUNTS = ("demo_tinh", "demo_huyen", "demo_xa", "demo_bo", "demo_admin")


def load_pages(scale: str, query: Query) -> list[Page]:
    """Pages put under load (20 clients each), compared with the trivial view: those with a target."""
    return [page for page in main_pages(scale, query) if page.target is not None]


# Participations by district and year straight from the sessions: what the dashboard would cost without
# the per-centre-per-year figures.
SESSIONS_AGGREGATE = (
    "SELECT u.district_id, EXTRACT(YEAR FROM s.date) AS year, COUNT(*), SUM(s.present), SUM(s.women), "
    "SUM(s.minorities) FROM courses_classsession s JOIN courses_course c ON c.id = s.course_id "
    "JOIN centres_centre ce ON ce.id = c.centre_id JOIN units_commune u ON u.id = ce.commune_id "
    "GROUP BY u.district_id, EXTRACT(YEAR FROM s.date)"
)


def sql_baselines(scale: str) -> list[tuple[str, str]]:
    """(label, SQL) timed directly on the database, to compare pages with."""
    return [("Tổng hợp lượt người học theo huyện và năm, trực tiếp từ bảng buổi học", SESSIONS_AGGREGATE)]


def check_after_load(*, query: Query, log: Callable[[str], None]) -> list[str]:
    """Problems found in the data after the load test (empty: all figures correct): the kept figures must
    equal a recount from the raw sessions, per centre and year."""
    (mismatches,) = query(
        "SELECT COUNT(*) FROM ("
        " SELECT c.centre_id, EXTRACT(YEAR FROM s.date)::int AS year, COUNT(*) AS n, SUM(s.present) AS p"
        " FROM courses_classsession s JOIN courses_course c ON c.id = s.course_id GROUP BY 1, 2) raw"
        " FULL JOIN (SELECT centre_id, year, SUM(sessions) AS n, SUM(participations) AS p"
        " FROM courses_centreyearfigure GROUP BY 1, 2 HAVING SUM(sessions) > 0) f"
        " ON f.centre_id = raw.centre_id AND f.year = raw.year"
        " WHERE raw.n IS DISTINCT FROM f.n OR raw.p IS DISTINCT FROM f.p"
    )[0]
    return [f"{mismatches} centre-years whose figures differ from a recount of the sessions"] if mismatches else []
