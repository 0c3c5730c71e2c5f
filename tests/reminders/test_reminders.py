"""Reminders: who is reminded of what (never another unit's items), on the page, in the menu, by e-mail."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from evaluations import services as ev
from evaluations.models import EvaluationCycle
from reminders import services
from reminders.models import ReminderSettings
from reminders.selectors import reminders_for
from tests.evaluations.factories import last_year, rubric, submitted
from tests.materials.factories import material

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    today = timezone.localdate()
    rubric()
    return EvaluationCycle.objects.create(
        province=world.province,
        year=last_year(),
        self_assessment_due=today + datetime.timedelta(days=5),
        review_due=today + datetime.timedelta(days=20),
        approval_due=today + datetime.timedelta(days=40),
    )


def _texts(user):
    return [r.text for r in reminders_for(user=user, today=timezone.localdate())]


def _emails(world):
    for user in (
        world.staff_a,
        world.staff_b,
        world.reviewer_x,
        world.reviewer_y,
        world.official,
        world.other_official,
    ):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])


def test_staff_are_reminded_of_their_own_deadline_and_returned_assessment(world, cycle):
    a = submitted(world.centre_a, world.staff_a)
    ev.assessment_return(assessment=a, version=a.version, reason="Thiếu minh chứng nhóm 2", by=world.official)
    texts_a = _texts(world.staff_a)
    assert any("bị trả lại" in t and "Thiếu minh chứng nhóm 2" in t for t in texts_a)
    assert any("Nộp tự đánh giá" in t and "còn 5 ngày" in t for t in texts_a)
    # Centre B has not started: its deadline, but never A's returned assessment.
    texts_b = _texts(world.staff_b)
    assert any("Nộp tự đánh giá" in t for t in texts_b)
    assert not any("Thiếu minh chứng" in t for t in texts_b)


def test_the_staff_home_shows_the_returned_assessment_and_the_deadline_it_read_itself(
    world, cycle, client_for, django_assert_num_queries
):
    """The home page hands the reminders the cycle and the assessment it has read (no second read of either)."""
    a = submitted(world.centre_a, world.staff_a)
    ev.assessment_return(assessment=a, version=a.version, reason="Thiếu minh chứng nhóm 2", by=world.official)
    client = client_for(world.staff_a)
    with django_assert_num_queries(
        14
    ):  # as tests/portal/test_home.py pins it (cold): the return reason is no extra read
        html = client.get("/").content.decode()
    section = html.split('id="home-reminders"', 1)[1].split("</section>", 1)[0]
    assert "bị trả lại" in section and "Thiếu minh chứng nhóm 2" in section
    assert "Nộp tự đánh giá" in section and "còn 5 ngày" in section


def test_a_submitted_assessment_is_not_a_deadline_for_the_centre(world, cycle):
    submitted(world.centre_a, world.staff_a)
    assert not any("Nộp tự đánh giá" in t for t in _texts(world.staff_a))


def test_reviewers_count_only_their_offices_assessments(world, cycle):
    submitted(world.centre_a, world.staff_a)
    submitted(world.centre_b, world.staff_b)
    assert any(t.startswith("1 phiếu tự đánh giá") for t in _texts(world.reviewer_x))
    assert any(t.startswith("1 phiếu tự đánh giá") for t in _texts(world.reviewer_y))


def test_the_province_is_reminded_of_materials_waiting_and_another_province_is_not(world):
    material(province=world.province, by=world.staff_a, centre=world.centre_a)
    assert any("1 học liệu của trung tâm chờ duyệt" in t for t in _texts(world.official))
    assert not any("học liệu" in t for t in _texts(world.other_official))
    assert not any("học liệu" in t for t in _texts(world.staff_a))


def test_idle_centres_are_counted_within_scope(world):
    assert any("chưa ghi buổi học nào" in t for t in _texts(world.staff_a))
    assert any(t.startswith("1 trung tâm chưa ghi buổi học") for t in _texts(world.reviewer_x))
    assert any(t.startswith("2 trung tâm chưa ghi buổi học") for t in _texts(world.official))
    assert not any("buổi học" in t for t in _texts(world.other_official))


def test_the_page_lists_them_and_the_menu_counts_them(world, client_for):
    client = client_for(world.staff_a)
    page = client.get("/nhac-viec/").content.decode()
    assert "chưa ghi buổi học nào" in page
    home = client.get("/").content.decode()
    assert 'data-testid="nav-reminder-count"' in home


def test_each_user_gets_a_digest_of_their_own_items(world, cycle):
    _emails(world)
    a = submitted(world.centre_a, world.staff_a)
    ev.assessment_return(assessment=a, version=a.version, reason="Thiếu minh chứng nhóm 2", by=world.official)
    material(province=world.province, by=world.staff_b, centre=world.centre_b)
    sent = services.digests_send(today=timezone.localdate())
    by_user = {m.to[0].split("@")[0]: m for m in mail.outbox}
    assert sent == len(mail.outbox) and set(by_user) == {"staff_a", "staff_b", "reviewer_x", "reviewer_y", "official"}
    assert "Thiếu minh chứng nhóm 2" in by_user["staff_a"].body
    assert "Thiếu minh chứng" not in by_user["staff_b"].body
    assert "học liệu" in by_user["official"].body and "học liệu" not in by_user["reviewer_y"].body
    assert "/nhac-viec/" in by_user["staff_a"].body  # where to turn it off
    # The same day again: nobody is sent it twice.
    assert services.digests_send(today=timezone.localdate()) == 0


def test_a_user_who_turned_it_off_gets_none(world, client_for):
    _emails(world)
    client_for(world.staff_a).post("/nhac-viec/", {})
    assert ReminderSettings.objects.get(user=world.staff_a).daily_digest is False
    services.digests_send(today=timezone.localdate())
    assert "staff_a@example.vn" not in [m.to[0] for m in mail.outbox]
    client_for(world.staff_a).post("/nhac-viec/", {"daily_digest": "on"})
    assert ReminderSettings.objects.get(user=world.staff_a).daily_digest is True


def test_send_digests_dry_run_prints_and_sends_nothing(world, capsys):
    _emails(world)
    call_command("send_digests", "--dry-run")
    out = capsys.readouterr().out
    assert (
        "=== staff_a <staff_a@example.vn>" in out and "Sẽ gửi 5 thư nhắc việc." in out and "other_official" not in out
    )
    assert not mail.outbox and not ReminderSettings.objects.exists()


def test_the_periodic_task_is_listed(settings):
    assert {"task": "reminders.tasks.send_daily_digests", "at": "06:30"} in settings.PERIODIC_TASKS


def test_the_task_sends_the_digests(world):
    from reminders.tasks import send_daily_digests

    _emails(world)
    send_daily_digests.enqueue()
    assert len(mail.outbox) == 5  # all but the other province's official, who has nothing to be reminded of
