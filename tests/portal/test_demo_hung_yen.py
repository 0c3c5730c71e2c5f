"""The whole demo (seed_demo's steps, with fewer classes and years so that it runs in seconds) as its users
see it: Tỉnh Hưng Yên today, with the history of former Thái Bình and former Hưng Yên."""

import random

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import User
from evaluations.models import Assessment
from portal.management.commands.seed_demo import DEMO_STEPS
from reports.dashboard import DashboardFilters, dashboard
from units.models import REFORM_DATE

REFORM = REFORM_DATE


# The demo takes seconds to build and these tests only read it: built once for the module, on one worker.
pytestmark = pytest.mark.xdist_group("demo_hung_yen")


@pytest.fixture(scope="module")
def demo(module_db):
    from django.test import override_settings
    from django.utils.module_loading import import_string

    from courses import demo as courses_demo
    from evaluations import demo as evaluations_demo
    from library import demo as library_demo
    from resources import demo as resources_demo

    with module_db(), override_settings(DEBUG=True), pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(courses_demo, "_growth", lambda year: 0.04)  # a class or two a year per centre
        monkeypatch.setattr(courses_demo, "FIRST_YEAR", timezone.localdate().year - 2)
        monkeypatch.setattr(evaluations_demo, "FIRST_YEAR", timezone.localdate().year - 3)
        monkeypatch.setattr(library_demo, "FIRST_YEAR", timezone.localdate().year - 2)
        monkeypatch.setattr(resources_demo, "FIRST_YEAR", timezone.localdate().year - 2)
        rng = random.Random(2026)
        for dotted in DEMO_STEPS:
            import_string(dotted)(rng=rng, log=lambda *_: None)


@pytest.fixture(autouse=True)
def _in_its_savepoint(db, settings):
    settings.DEBUG = True  # as when the demo was built: demo accounts belong to development


def test_every_demo_account_logs_in_and_sees_its_home_page_of_hung_yen_today(demo):
    users = {u.username: u for u in User.objects.select_related("centre__commune", "office", "province")}
    assert users["demo_tinh"].province.name == "Tỉnh Hưng Yên" and users["demo_tinh"].province.valid_from == REFORM
    assert users["demo_huyen"].office.name == "Cụm Đông Hưng (khu vực huyện Đông Hưng cũ)"
    assert users["demo_xa"].centre.commune.name == "Xã Bắc Đông Hưng"
    assert users["demo_xa"].centre.predecessors.filter(commune__name="Xã Đông Phương").exists()
    expected = {
        "demo_tinh": "Tỉnh Hưng Yên",
        "demo_huyen": "Cụm Đông Hưng",
        "demo_xa": "Bắc Đông Hưng",
        "demo_admin": "Quản trị",
        "demo_bo": "Số liệu toàn quốc",
    }
    for username, text in expected.items():
        client = Client()
        login = client.post(reverse("accounts:login"), {"username": username, "password": settings.DEMO_PASSWORD})
        assert login.status_code == 302, username
        response = client.get(reverse("home"), follow=True)
        assert response.status_code == 200, username
        assert text in response.content.decode(), username


def test_the_province_sees_both_former_provinces_before_the_reform_and_no_rows_of_zeros_after(demo):
    official = User.objects.get(username="demo_tinh")
    today = timezone.localdate()
    board = dashboard(scope=scoping.centre_q(official), filters=DashboardFilters(today.year - 2, today.year))
    for year in (REFORM.year, today.year):
        rows = [e for e in board.summary(year) if not e["is_total"]]
        assert rows, year
        zeros = [e["row"].label for e in rows if e["figures"].sessions == 0]
        assert zeros == [], (year, zeros)
    lines = [e for e in board.summary(REFORM.year - 1) if not e["is_total"]]
    before = [e["row"].label for e in lines if not e["is_subtotal"]]
    assert "Huyện Đông Hưng" in before and "Huyện Khoái Châu" in before and len(before) == 18
    # Each former province heads its districts (GSO order: Hưng Yên 33 before Thái Bình 34).
    assert [e["row"].label for e in lines if e["is_subtotal"]] == [
        "Tỉnh Hưng Yên (đến 30/06/2025)",
        "Tỉnh Thái Bình (đến 30/06/2025)",
    ]
    # 2025 in its two halves: the 381 former centres to 30/06, the 104 new ones from 01/07.
    assert board.centres_with_figures(REFORM.year) == {"old": 381, "new": 104}
    # The transition year: the new centres are rated for 2025 and their self-assessment counts the first half
    # of their predecessors; the former centres are rated to 2024 only.
    assert not Assessment.objects.filter(year=REFORM.year, centre__status="merged").exists()
    assert Assessment.objects.filter(year=REFORM.year, centre__status="active").count() == 104
    noted = Assessment.objects.filter(year=REFORM.year).exclude(self_comment="").first()
    assert noted.self_comment.startswith("Năm chuyển tiếp 2025: tính cả 6 tháng đầu năm")
    assert not Assessment.objects.filter(year=REFORM.year - 1, centre__status="active").exists()


def test_every_current_centre_has_a_needs_survey_and_a_plan_each_year_with_gaps_to_see(demo):
    from centres.models import Centre
    from planning.selectors import plans_overview

    years = range(REFORM.year, timezone.localdate().year + 1)
    active = Centre.objects.filter(status="active")
    for year in years:
        assert active.exclude(need_surveys__year=year).count() == 0, year
        assert active.exclude(activity_plans__year=year).count() == 0, year
    overview = plans_overview(user=User.objects.get(username="demo_tinh"), year=timezone.localdate().year)
    done = [row.figures.done for row in overview.centres if row.figures.done is not None]
    assert min(done) < 100 < max(done)  # some centres short of their plan, some beyond it


def test_the_demo_has_libraries_in_some_centres_with_monthly_readers_and_contributions(demo):
    from centres.models import Centre
    from library.models import Library, LibraryMonth
    from resources.models import Contribution

    mine = User.objects.get(username="demo_xa").centre
    centres = Centre.objects.count()
    with_library = Library.objects.exclude(kind="").count()
    assert 0.4 * centres < with_library < 0.8 * centres
    assert Library.objects.get(centre=mine).kind  # demo_xa's centre has one, with its months
    assert LibraryMonth.objects.filter(centre=mine).exists()
    assert Contribution.objects.filter(centre=mine).exists()
    assert Contribution.objects.filter(kind="thiet_bi", equipment__isnull=False).exists()
