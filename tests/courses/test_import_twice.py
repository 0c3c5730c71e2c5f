"""Issue 13.1: an import never counts twice. Rows already in the portal are recognised by their natural key
(the centre, the class's title, programme kind and start date; a session's date and topic): the preview says
"đã có", the import leaves them alone (or updates them when "cập nhật" is ticked)."""

import datetime
import re

from django.urls import reverse

from courses import services
from courses.figures import figures_rebuild
from courses.models import CentreYearFigure, ClassSession, Course, ProgrammeKind
from tests.courses.test_excel import GOOD, KIND, filled_template, upload


def _figures():
    return sorted(
        CentreYearFigure.objects.values_list(
            "centre_id", "year", "programme_kind_id", "classes", "sessions", "participations", "women", "minorities"
        )
    )


def _dashboard(client) -> str:
    """The province dashboard's page, without the form's CSRF token (it changes on every page)."""
    page = client.get(reverse("reports:dashboard"), {"tu_nam": 2025, "den_nam": 2026}).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def _import(client, rows, **confirm):
    preview = upload(client, filled_template(client, rows)).content.decode()
    done = client.post(reverse("courses:import_confirm"), confirm, follow=True).content.decode()
    return preview, done


def test_importing_the_same_file_twice_changes_no_figure(client_for, world):
    _import(client_for(world.staff_a), GOOD)
    before = _figures()
    dashboard_before = _dashboard(client_for(world.official))
    assert "205" in dashboard_before  # the participations of the file, on the province dashboard
    preview, done = _import(client_for(world.staff_a), GOOD)
    assert "đã có" in preview
    assert "0 lớp mới, 0 buổi học mới" in preview
    assert "Không có gì mới để nhập" in done or "Đã nhập 0 lớp, 0 buổi học" in done
    assert Course.objects.count() == 2 and ClassSession.objects.count() == 3
    assert _figures() == before
    figures_rebuild()
    assert _figures() == before  # the recount agrees
    assert _dashboard(client_for(world.official)) == dashboard_before


def test_an_overlapping_file_adds_only_the_new_rows(client_for, world):
    client = client_for(world.staff_a)
    _import(client, GOOD[:2])
    third_session = [*GOOD[0][:7], "19/03/2026", "Phần 3", 2, 60, 20, 0]
    preview, done = _import(client, [*GOOD, third_session])
    assert "1 lớp mới, 2 buổi học mới" in preview
    assert "Đã nhập 1 lớp, 2 buổi học" in done
    law = Course.objects.get(title="Luật Đất đai")
    assert list(law.sessions.order_by("date").values_list("topic", flat=True)) == ["Phần 1", "Phần 2", "Phần 3"]
    figures = CentreYearFigure.objects.filter(centre=world.centre_a)
    assert sum(f.participations for f in figures) == 80 + 70 + 55 + 60
    assert sum(f.classes for f in figures) == 2
    before = _figures()
    figures_rebuild()
    assert _figures() == before


def test_a_row_already_in_the_portal_with_other_counts_is_updated_only_when_ticked(client_for, world):
    client = client_for(world.staff_a)
    _import(client, GOOD)
    corrected = [list(GOOD[0]), *GOOD[1:]]
    corrected[0][10] = 90  # 80 present on the paper, 90 in the corrected file
    preview, done = _import(client, corrected)
    assert "khác số liệu" in preview
    assert ClassSession.objects.get(topic="Phần 1").present == 80  # not ticked: left alone
    preview, done = _import(client, corrected, cap_nhat="1")
    assert "cập nhật 1 buổi" in done
    assert ClassSession.objects.get(topic="Phần 1").present == 90
    assert ClassSession.objects.count() == 3
    assert sum(CentreYearFigure.objects.values_list("participations", flat=True)) == 215
    before = _figures()
    figures_rebuild()
    assert _figures() == before


def test_the_title_is_matched_whatever_the_spacing_and_case(client_for, world):
    client = client_for(world.staff_a)
    _import(client, GOOD)
    retyped = [["  luật  đất đai ", *row[1:]] for row in GOOD[:2]]
    preview, _ = _import(client, retyped)
    assert "0 lớp mới, 0 buổi học mới" in preview
    assert Course.objects.count() == 2


def test_another_centres_classes_are_not_matched(client_for, world):
    services.course_create(
        centre=world.centre_b, by=world.official, programme_kind=ProgrammeKind.objects.get(name=KIND),
        title="Luật Đất đai", start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 3, 31),
    )  # fmt: skip
    client = client_for(world.staff_a)
    preview, _ = _import(client, GOOD)
    assert "2 lớp mới, 3 buổi học mới" in preview
