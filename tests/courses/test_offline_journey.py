"""Recording with no network (issue 19), in Chromium with Playwright's offline mode: the offline page comes from
the service worker, entries wait on the phone as "chưa gửi", go when the network returns with a count and each
result; a replayed sync changes nothing; a refusal shows its reason and can be corrected; a conflict is settled;
logout forgets what the phone kept."""

import datetime
import json
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import services
from courses.figures import figures_rebuild
from courses.models import CentreYearFigure, ClassSession, Course, SyncedEntry
from tests.browser.waiting import wait_for_worker, wait_until
from tests.clock import this_year
from tests.conftest import browser_login
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figures():
    return sorted(
        CentreYearFigure.objects.values_list(
            "centre_id", "year", "programme_kind_id", "classes", "sessions", "participations", "women", "minorities"
        )
    )


def current_class(world, title, fmt=Course.Format.TALK):
    return services.course_create(
        centre=world.centre_a,
        by=world.staff_a,
        programme_kind=kind(),
        title=title,
        format=fmt,
        start_date=datetime.date(this_year(), 1, 5),
        end_date=timezone.localdate(),
    )


def track_refresh(page) -> dict:
    """After a sync the page fetches the centre's classes again (offline.js: record → fetchSnapshot). A test
    must let that request end before it reads the database itself: the live server's thread and the test's
    share SQLite's in-memory database, and a read of the test's during the server's query hung for good (seen
    in CI). `refreshed` turns true when a fetch of the classes ends after a sync's POST ended."""
    state = {"open": 0, "refreshed": False}

    def started(request):
        if "/ngoai-tuyen/" in request.url:
            state["open"] += 1

    def ended(request):
        if "/ngoai-tuyen/" in request.url:
            state["open"] -= 1
            if request.url.endswith("/ngoai-tuyen/gui/"):
                state["refreshed"] = False
            elif request.url.endswith("/ngoai-tuyen/du-lieu/") and state["refreshed"] is False:
                state["refreshed"] = True

    state["refreshed"] = None  # no sync yet
    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    page._tthtcd_refresh = state
    return state


def settled(page, timeout: float = 30.0) -> None:
    """Wait until the sync's answer has been followed by the classes' refresh and no request is open."""
    state = page._tthtcd_refresh
    deadline = time.monotonic() + timeout
    while not (state["refreshed"] and state["open"] <= 0):
        if time.monotonic() > deadline:
            raise AssertionError(f"the page's refresh after the sync did not end: {state}")
        page.wait_for_timeout(50)


def open_offline_page(page):
    """Open the offline page online once: the worker installs, the centre's classes go into IndexedDB."""
    track_refresh(page)
    page.goto(page.base_url + "/ngoai-tuyen/")
    expect(page.locator("#snapshot-info")).to_contain_text("Danh sách lớp của trung tâm tải lúc")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_for_worker(page)


def go_offline(page):
    page.context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker  # not the network: the worker's copy of the offline page
    expect(page.locator("#net-status")).to_have_text("Đang mất mạng: các mục được lưu trên máy này và gửi khi có mạng.")


def record_talk(page, title, day, present, women):
    page.get_by_label("Lớp học").select_option(label=title)
    page.get_by_label("Ngày học").fill(day.isoformat())
    page.get_by_label("Số người dự").fill(str(present))
    page.get_by_label("Trong đó nữ").fill(str(women))
    page.get_by_role("button", name="Lưu trên máy").click()
    expect(page.locator("#form-message")).to_contain_text(f"Đã lưu trên máy: {title}, ngày {day:%d/%m/%Y}.")


def test_three_sessions_recorded_offline_are_sent_once_when_the_network_returns(page, world):
    current_class(world, "Chuyên đề phòng chống lũ")
    browser_login(page, "staff_a")
    open_offline_page(page)
    go_offline(page)
    days = [timezone.localdate() - datetime.timedelta(days=n) for n in (14, 7, 1)]
    for day, present in zip(days, (40, 55, 62), strict=True):
        record_talk(page, "Chuyên đề phòng chống lũ", day, present, 20)
    expect(page.get_by_test_id("pending-count")).to_have_text("Chưa gửi: 3 mục.")
    expect(page.get_by_test_id("entries").get_by_text("chưa gửi")).to_have_count(3)
    assert not ClassSession.objects.exists()

    sent = []
    page.on("request", lambda r: sent.append(r.post_data) if r.url.endswith("/ngoai-tuyen/gui/") else None)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("sync-result")).to_contain_text("Đã gửi 3 mục: 3 đã lưu, 0 bị từ chối, 0 xung đột.")
    expect(page.get_by_test_id("sync-result")).to_contain_text(f"Đã ghi buổi học ngày {days[0]:%d/%m/%Y}: 40 người dự.")
    settled(page)
    expect(page.get_by_test_id("pending-count")).to_have_text("Không có mục nào chờ gửi.")
    assert sorted(ClassSession.objects.values_list("present", flat=True)) == [40, 55, 62]
    kept = figures()
    figures_rebuild()
    assert figures() == kept  # the kept figures equal a recount

    # The same sync again (the answer was lost on the way back): nothing changes, each entry answers as before.
    token = page.context.request.get(page.base_url + "/lop-hoc/ngoai-tuyen/du-lieu/").json()["csrf"]
    replay = page.context.request.post(
        page.base_url + "/lop-hoc/ngoai-tuyen/gui/",
        data=sent[0],
        headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": page.base_url + "/"},
    ).json()
    assert replay["counts"]["saved"] == 3 and all(r["replayed"] for r in replay["results"])
    assert ClassSession.objects.count() == 3 and SyncedEntry.objects.count() == 3
    assert figures() == kept
    assert len(json.loads(sent[0])["entries"]) == 3


def test_a_refused_entry_shows_its_reason_and_is_sent_once_corrected(page, world):
    current_class(world, "Chuyên đề an toàn giao thông")
    browser_login(page, "staff_a")
    open_offline_page(page)
    go_offline(page)
    day = timezone.localdate() - datetime.timedelta(days=3)
    record_talk(page, "Chuyên đề an toàn giao thông", day, 40, 50)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    entry = page.get_by_test_id("entries").get_by_role("listitem")
    expect(entry).to_contain_text("bị từ chối")
    expect(entry).to_contain_text("Số nữ (50) không được lớn hơn số người dự (40).")
    expect(page.get_by_test_id("sync-result")).to_contain_text("0 đã lưu, 1 bị từ chối")
    settled(page)
    assert not ClassSession.objects.exists()

    entry.get_by_role("button", name="Sửa").click()
    expect(page.get_by_label("Trong đó nữ")).to_have_value("50")
    page.get_by_label("Trong đó nữ").fill("25")
    page.get_by_role("button", name="Lưu trên máy").click()
    expect(page.get_by_test_id("sync-result")).to_contain_text("1 đã lưu, 0 bị từ chối")
    settled(page)
    assert ClassSession.objects.get().women == 25


def test_attendance_changed_on_the_server_meanwhile_is_a_conflict_the_user_settles(page, world):
    course = current_class(world, "Lớp xóa mù chữ thôn Đông", Course.Format.ROSTER)
    an, binh = (
        EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name=name))
        for name in ("Nguyễn Thị An", "Trần Thị Bình")
    )
    day = timezone.localdate() - datetime.timedelta(days=2)
    session = services.class_session_create(course=course, by=world.staff_a, date=day, topic="Bài 3")
    services.attendance_save(course=course, presence={session.pk: {an.pk, binh.pk}}, by=world.staff_a)
    browser_login(page, "staff_a")
    open_offline_page(page)
    go_offline(page)
    page.get_by_label("Lớp học").select_option(label="Lớp xóa mù chữ thôn Đông")
    page.get_by_label("Ngày học").fill(day.isoformat())
    page.get_by_label("Ngày học").dispatch_event("change")
    expect(page.get_by_label("Trần Thị Bình")).to_be_checked()
    page.get_by_label("Trần Thị Bình").uncheck()
    page.get_by_role("button", name="Lưu trên máy").click()
    # Meanwhile, on the web, a colleague marks Nguyễn Thị An absent.
    services.attendance_save(course=course, presence={session.pk: {binh.pk}}, by=world.official)

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    entry = page.get_by_test_id("entries").get_by_role("listitem")
    expect(entry).to_contain_text("xung đột")
    expect(entry).to_contain_text("đã được người khác sửa trên máy chủ")
    expect(entry).to_contain_text("Trên máy chủ: 1 người")
    entry.get_by_role("button", name="Giữ bản của tôi").click()
    expect(page.get_by_test_id("sync-result")).to_contain_text("1 đã lưu, 0 bị từ chối, 0 xung đột")
    settled(page)
    session.refresh_from_db()
    assert session.present == 1  # the phone's: An present, Bình absent
    assert list(session.attendances.filter(present=True).values_list("enrolment_id", flat=True)) == [an.pk]


def test_logout_forgets_the_classes_entries_and_caches_the_phone_kept(page, world):
    current_class(world, "Chuyên đề phòng chống lũ")
    browser_login(page, "staff_a")
    open_offline_page(page)
    page.goto(page.base_url + "/")
    assert page.evaluate("caches.keys()")
    assert "tthtcd-offline" in page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    page.get_by_role("button", name="Mở menu").click()
    # the menu has finished opening: a tap during its 0.35 s slide can land on the sliding panel, not the entry
    expect(page.locator("#mainNav")).to_have_class("navbar-collapse collapse show")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    assert "tthtcd-offline" not in page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    # The worker is registered again on the login page and keeps only static files and the page for nobody.
    kept = page.evaluate(
        "caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert all(path.startswith("/static/") or path == "/ngoai-tuyen/" for path in kept), kept


def test_a_phone_that_opened_the_portal_once_records_offline_from_any_address(page, world):
    current_class(world, "Chuyên đề phòng chống lũ")
    browser_login(page, "staff_a")  # the home page only: the offline page was never opened
    wait_for_worker(page)
    wait_until(
        page,
        "new Promise(r => { const q = indexedDB.open('tthtcd-offline'); q.onsuccess = () => { const db = q.result;"
        " if (!db.objectStoreNames.contains('meta')) { db.close(); return r(false); }"
        " const g = db.transaction('meta').objectStore('meta').get('snapshot'); g.onsuccess = () => { db.close();"
        " r(!!g.result); }; }; })",
    )
    page.context.set_offline(True)
    response = page.goto(page.base_url + "/lop-hoc/")  # any page of the portal, with no network
    assert response.from_service_worker
    expect(page.get_by_role("heading", name="Ghi khi mất mạng")).to_be_visible()
    expect(page.locator("#snapshot-info")).to_contain_text("Danh sách lớp của trung tâm tải lúc")
    record_talk(page, "Chuyên đề phòng chống lũ", timezone.localdate(), 30, 12)
    expect(page.get_by_test_id("pending-count")).to_have_text("Chưa gửi: 1 mục.")


def test_a_conflict_settled_with_the_servers_version_drops_the_phones_entry(page, world):
    course = current_class(world, "Chuyên đề an toàn giao thông")
    browser_login(page, "staff_a")
    open_offline_page(page)
    go_offline(page)
    day = timezone.localdate() - datetime.timedelta(days=1)
    record_talk(page, "Chuyên đề an toàn giao thông", day, 40, 20)
    services.class_session_create(course=course, by=world.official, date=day, present=52, women=30, topic="Buổi 1")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    entry = page.get_by_test_id("entries").get_by_role("listitem")
    expect(entry).to_contain_text(f"Lớp đã có buổi học ngày {day:%d/%m/%Y} trên máy chủ (do người khác ghi).")
    expect(entry).to_contain_text("Trên máy chủ: 52 người, nội dung «Buổi 1».")
    entry.get_by_role("button", name="Dùng bản trên máy chủ").click()
    expect(page.get_by_test_id("pending-count")).to_have_text("Không có mục nào chờ gửi.")
    assert list(ClassSession.objects.values_list("present", flat=True)) == [52]
    assert not SyncedEntry.objects.exists()
