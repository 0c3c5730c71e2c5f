"""Shared fixtures: the five personas every scoping test uses, and the headless browser.

World: province P with districts X and Y. Centre A is in district X, centre B in district Y.
Personas: staff of A, staff of B, reviewer of X, reviewer of Y, provincial official of P, an
official of another province Q (an outsider to everything in P), and a Ministry official (every province,
read-only).
"""

import contextlib
import logging
import os
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Office, User
from centres.models import Centre
from tests.clock import PINNED_NOW, moment
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, OfficeFactory, ProvinceFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it are
# still synchronous, so Django's async-safety guard is relaxed for the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Every test runs at PINNED_NOW (tests/clock.py), or at the moment its `now` marker names. The clock ticks
    from there, so timestamps still follow one another; the live server's thread reads the same clock."""
    marker = request.node.get_closest_marker("now")
    start = moment(marker.args[0]) if marker else PINNED_NOW
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    # The active language is per thread and outlives a request: a test that switched to English must not
    # leave the next one (or a management command it calls) speaking English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The dashboards cache per process; every test starts cold so query counts and figures are its own.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Programme kinds come from a data migration; a transactional test's flush removes them for the tests
    that follow it in the same worker. Every database test starts with them present."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from tests.factories import ensure_programme_kinds

    ensure_programme_kinds()


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    province: object
    other_province: object
    district_x: object
    district_y: object
    office_x: Office
    office_y: Office
    centre_a: Centre
    centre_b: Centre
    staff_a: User
    staff_b: User
    reviewer_x: User
    reviewer_y: User
    official: User
    other_official: User
    ministry: User  # Bộ GD&ĐT: every province, read-only (sees centre B: never an outsider)


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(code="34", name="Tỉnh Thái Bình")
    other = ProvinceFactory(code="33", name="Tỉnh Hưng Yên")
    district_x = DistrictFactory(province=province, code="340", name="Huyện Đông Hưng")
    district_y = DistrictFactory(province=province, code="341", name="Huyện Thái Thụy")
    office_x = OfficeFactory(district=district_x)
    office_y = OfficeFactory(district=district_y)
    centre_a = CentreFactory(
        commune=CommuneFactory(district=district_x, code="12694", name="Xã Đông Phương"), review_office=office_x
    )
    centre_b = CentreFactory(
        commune=CommuneFactory(district=district_y, code="12757", name="Xã Thụy Trường"), review_office=office_y
    )
    return World(
        province=province,
        other_province=other,
        district_x=district_x,
        district_y=district_y,
        office_x=office_x,
        office_y=office_y,
        centre_a=centre_a,
        centre_b=centre_b,
        staff_a=UserFactory(username="staff_a", role=User.Role.CENTRE_STAFF, centre=centre_a),
        staff_b=UserFactory(username="staff_b", role=User.Role.CENTRE_STAFF, centre=centre_b),
        reviewer_x=UserFactory(username="reviewer_x", role=User.Role.REVIEWER, office=office_x),
        reviewer_y=UserFactory(username="reviewer_y", role=User.Role.REVIEWER, office=office_y),
        official=UserFactory(username="official", role=User.Role.PROVINCE, province=province),
        other_official=UserFactory(username="other_official", role=User.Role.PROVINCE, province=other),
        ministry=UserFactory(username="ministry", role=User.Role.MINISTRY),
    )


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """For data that a module's tests only read and that takes seconds to build (the demo): built once per module
    inside a transaction rolled back after the module's last test. Each test still runs in its own savepoint (the
    `db` fixture), so what one test writes is gone before the next. A module fixture builds its data inside
    `with module_db():` (the database open to it, the clock at the pinned moment, as each test then runs); the
    module's tests are grouped on one worker (`pytestmark = pytest.mark.xdist_group(...)`) so it is built once."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()

    @contextlib.contextmanager
    def building():
        with (
            django_db_blocker.unblock(),
            time_machine.travel(PINNED_NOW, tick=True),
            override_settings(PASSWORD_HASHERS=FAST_HASHERS),  # as every test's (_fast_and_isolated)
        ):
            yield

    try:
        yield building
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Query counts that print the SQL when wrong --------------------------------------------------


@pytest.fixture
def assert_queries(django_assert_num_queries):
    return django_assert_num_queries


# --- Headless Chromium ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def _live_server_one_request_at_a_time() -> None:
    """On SQLite the test database lives in memory and the live server's threads share the test's one
    connection; with Django's threaded live server, Chromium's parallel requests (a page, its service worker,
    its offline snapshot) ran on that connection at once and deadlocked inside SQLite (seen: three request
    threads waiting in SQLiteCursorWrapper.execute, the journey hung for good). One request at a time there:
    Django then answers each with "Connection: close", so the browser's other requests wait their turn."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The live server's own thread serves every request, with the test's connection (LiveServerThread.run
            # installs it there), so there is nothing to hand to request threads.
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneAtATime


_live_server_one_request_at_a_time()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    # The page's JavaScript sees the server's pinned clock too (date pickers, "today" defaults); time flows on.
    context.clock.install(time=timezone.now())
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def demo_base(transactional_db):
    """The demo province's units, offices, centres and accounts (not the years of classes): seconds."""
    import random

    from django.conf import settings

    from accounts import demo as accounts_demo
    from centres import demo as centres_demo
    from portal import demo as portal_demo
    from tests.factories import ensure_programme_kinds
    from units import demo as units_demo

    settings.DEBUG = True  # demo accounts are only created in development
    ensure_programme_kinds()  # an earlier transactional test may have flushed the migration's rows
    rng = random.Random(1)
    for step in (units_demo.seed, accounts_demo.seed_offices, centres_demo.seed, portal_demo.seed_users):
        step(rng=rng, log=lambda *_: None)
    return rng


def browser_login(page, username: str, password: str | None = None) -> None:
    from django.conf import settings

    page.goto(page.base_url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def queries_between_commits(action, *, kept: int, tries: int = 50):
    """Run `action` until it asks at most `kept` queries, up to `tries` times; return its result and its queries.

    The page cache and the dashboards' stamp are keyed by PostgreSQL's snapshot, which is the server's: a commit to
    another database of the same server (CI's other test worker commits all the time) moves it, and then what was
    kept is computed again under the new snapshot. Each try after the first is the next chance of a quiet moment;
    when nothing is ever kept, every try asks more and the caller's assertion fails."""
    for _attempt in range(tries):
        with CaptureQueriesContext(connection) as queries:
            result = action()
        if len(queries) <= kept:
            break
    return result, queries


# Refused requests (404/403/405) are the point of many tests; their log lines only bury real failures.
logging.getLogger("django.request").setLevel(logging.ERROR)
