"""No lost updates (issue 14, item 1): two people open the same edit form; the first saves; the second's save
is refused — naming who saved and when — with the second person's input kept and the latest saved values shown
beside it; saving again (now knowing them) goes through. Every edit form: centre, facilities, board member,
instructor, class, session, report settings. Then the same race through two database connections at once on
PostgreSQL (tthtcd_portal.concurrency.version_claim: a conditional UPDATE … WHERE version = n)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from centres import services as centre_services
from centres.models import Centre
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.conftest import is_postgres
from tests.courses.factories import CourseFactory, SessionFactory
from tests.factories import UserFactory
from tests.platform.html_forms import own_form
from tthtcd_portal.concurrency import StaleEdit


@dataclass(frozen=True)
class Case:
    url: Any  # (world) → (url, the edited object)
    theirs: tuple[str, str]  # the field the first person changes, and to what
    mine: tuple[str, str]  # the field the second person changes, and to what
    read: Any = None  # (obj, field) → the saved value as text

    def saved(self, obj, name):
        obj.refresh_from_db()
        return self.read(obj, name) if self.read else str(getattr(obj, name))


def _centre(route):
    return lambda w: (reverse(route, args=[w.centre_a.pk]), Centre.objects.get(pk=w.centre_a.pk))


def _member(w):
    member = BoardMemberFactory(centre=w.centre_a)
    return reverse("centres:board_edit", args=[w.centre_a.pk, member.pk]), member


def _instructor(w):
    link = AssignmentFactory(centre=w.centre_a)
    return reverse("centres:instructor_edit", args=[w.centre_a.pk, link.pk]), link.instructor


def _course(w):
    course = CourseFactory(centre=w.centre_a)
    return reverse("courses:edit", args=[course.pk]), course


def _session(w):
    session = SessionFactory(course=CourseFactory(centre=w.centre_a))
    return reverse("courses:session_edit", args=[session.pk]), session


def _settings(w):
    from reports.models import ReportSettings

    settings = ReportSettings.objects.create(province=w.province)
    return f"{reverse('reports:settings')}?tinh={w.province.pk}", settings


CASES = {
    "centre": Case(_centre("centres:edit"), ("address", "Thôn Đông, số 5"), ("phone", "0912345678")),
    "facilities": Case(_centre("centres:facilities"), ("rooms", "7"), ("seats", "45")),
    "board_member": Case(_member, ("main_post", "Chủ tịch UBND xã"), ("appointment_decision", "QĐ 12/2026")),
    "instructor": Case(_instructor, ("workplace", "Trạm y tế xã"), ("field", "Y tế cộng đồng")),
    "class": Case(_course, ("place", "Nhà văn hóa thôn Bắc"), ("partner", "Hội Nông dân xã")),
    "session": Case(_session, ("place", "Hội trường UBND xã"), ("topic", "Phòng chống sốt xuất huyết")),
    "report_settings": Case(_settings, ("place_name", "Hưng Hà"), ("signer_name", "Trần Văn Bình")),
}


def _people(world, case_name):
    """The one who saves first (named, so the refusal can name them) and the one who saves second."""
    if case_name == "report_settings":
        first = UserFactory(
            username="official_2", role=User.Role.PROVINCE, province=world.province, first_name="Lan", last_name="Lê"
        )
    else:
        first = world.staff_a
        first.first_name, first.last_name = "Hoa", "Nguyễn Thị"
        first.save()
    return first, world.official


@pytest.mark.parametrize("case_name", list(CASES))
def test_a_stale_save_is_refused_naming_who_saved_and_keeping_my_input(case_name, world, client, django_user_model):
    from django.test import Client

    case = CASES[case_name]
    url, obj = case.url(world)
    first, second = _people(world, case_name)
    their_client, my_client = Client(), client
    their_client.force_login(first)
    my_client.force_login(second)

    # Both open the form; the first person saves.
    mine = own_form(my_client.get(url).content.decode(), url.split("?")[0])
    theirs = own_form(their_client.get(url).content.decode(), url.split("?")[0])
    assert mine is not None and "version" in mine.data(), "the form carries the version it shows"
    their_data = theirs.data()
    their_data[case.theirs[0]] = case.theirs[1]
    response = their_client.post(url, their_data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert case.saved(obj, case.theirs[0]) == case.theirs[1]

    # The second person, who opened the form before that save, changes another field and saves.
    my_data = mine.data()
    my_data[case.mine[0]] = case.mine[1]
    response = my_client.post(url, my_data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "đã lưu thay đổi lúc" in page and first.get_full_name() in page
    assert "Giá trị mới nhất" in page and case.theirs[1] in page  # the latest saved value, shown
    refreshed = own_form(page, url.split("?")[0]).data()
    assert refreshed[case.mine[0]] == case.mine[1]  # my input kept
    assert case.saved(obj, case.theirs[0]) == case.theirs[1]  # their save stands
    assert case.saved(obj, case.mine[0]) != case.mine[1]  # mine not written

    # Saving again, now with the latest values in view, goes through.
    refreshed[case.theirs[0]] = case.theirs[1]
    response = my_client.post(url, refreshed)
    assert response.status_code == 302
    assert case.saved(obj, case.mine[0]) == case.mine[1]
    assert case.saved(obj, case.theirs[0]) == case.theirs[1]


def test_the_version_token_is_checked_in_the_service_not_only_the_form(world):
    centre = Centre.objects.get(pk=world.centre_a.pk)
    centre_services.centre_update(centre=centre, fields={"address": "A"}, by=world.staff_a, version=centre.version)
    stale = Centre.objects.get(pk=world.centre_a.pk)
    with pytest.raises(StaleEdit):
        centre_services.centre_update(centre=stale, fields={"address": "B"}, by=world.official, version=1)
    stale.refresh_from_db()
    assert stale.address == "A" and stale.version == 2


def test_a_forged_huge_version_is_a_form_error_not_a_500(world, client_for):
    url = reverse("centres:edit", args=[world.centre_a.pk])
    client = client_for(world.official)
    data = own_form(client.get(url).content.decode(), url).data()
    data["version"] = "9" * 30
    assert client.post(url, data).status_code == 200


# --- Two connections at once (PostgreSQL) ----------------------------------------------------------------------


def test_two_connections_saving_one_version_at_once_keep_the_first_and_refuse_the_second(transactional_db, world):
    if not is_postgres():
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so the saves cannot overlap")
    from django.db import transaction

    centre = Centre.objects.get(pk=world.centre_a.pk)
    version = centre.version
    first_holds_the_row = threading.Event()
    release_first = threading.Event()
    outcome: dict[str, Any] = {}

    def first():
        try:
            with transaction.atomic():
                mine = Centre.objects.get(pk=centre.pk)
                centre_services.centre_update(
                    centre=mine, fields={"address": "first"}, by=world.staff_a, version=version
                )
                first_holds_the_row.set()
                release_first.wait(timeout=10)  # commit only after the second has reached the row lock
            outcome["first"] = "saved"
        except BaseException as exc:  # noqa: BLE001 — reported below
            outcome["first"] = exc
        finally:
            connection.close()

    def second():
        try:
            first_holds_the_row.wait(timeout=10)
            mine = Centre.objects.get(pk=centre.pk)  # read before the first commits: the same version
            assert mine.version == version
            timer = threading.Timer(0.5, release_first.set)
            timer.start()
            centre_services.centre_update(centre=mine, fields={"address": "second"}, by=world.official, version=version)
            outcome["second"] = "saved"
        except StaleEdit as exc:
            outcome["second"] = exc
        except BaseException as exc:  # noqa: BLE001
            outcome["second"] = exc
        finally:
            release_first.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], StaleEdit), outcome["second"]
    centre.refresh_from_db()
    assert centre.address == "first" and centre.version == version + 1
    assert centre.history.count() == 2  # created, then the first save; the refused one left no trace


# --- In the browser -------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_demo_xa_saving_over_a_colleagues_change_sees_who_and_the_latest_values(page, demo_base):
    from tests.conftest import browser_login

    centre = Centre.objects.get(commune__code="12694", status=Centre.Status.ACTIVE)
    browser_login(page, "demo_xa")
    page.goto(page.base_url + reverse("centres:edit", args=[centre.pk]))
    page.get_by_label("Điện thoại").fill("0912345678")
    # Meanwhile the province's official corrects the address.
    official = User.objects.get(username="demo_tinh")
    centre_services.centre_update(
        centre=Centre.objects.get(pk=centre.pk), fields={"address": "Thôn Nam, xã Đông Phương"}, by=official,
        version=centre.version,
    )  # fmt: skip
    page.get_by_role("button", name="Lưu").click()

    latest = page.locator("[data-latest-values]")
    latest.wait_for()
    assert "Thôn Nam, xã Đông Phương" in latest.inner_text()
    assert official.get_full_name() in page.content()
    assert page.get_by_label("Điện thoại").input_value() == "0912345678"
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/relstale/stale-{width}.png", full_page=False)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**{reverse('centres:detail', args=[centre.pk])}")
    centre.refresh_from_db()
    assert centre.phone == "0912345678"
