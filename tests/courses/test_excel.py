import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import CentreYearFigure, ClassSession, Course
from courses.spreadsheet import COLUMNS

KIND = "Chuyên đề pháp luật – chính sách"


def filled_template(client, rows) -> bytes:
    response = client.get(reverse("courses:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == COLUMNS
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [
    [
        "Luật Đất đai",
        KIND,
        "Nguyễn Văn Hùng",
        "Hội Nông dân xã",
        "Hội trường",
        "01/03/2026",
        "31/03/2026",
        "05/03/2026",
        "Phần 1",
        2,
        80,
        40,
        1,
    ],
    [
        "Luật Đất đai",
        KIND,
        "Nguyễn Văn Hùng",
        "Hội Nông dân xã",
        "Hội trường",
        "01/03/2026",
        "31/03/2026",
        "12/03/2026",
        "Phần 2",
        2,
        70,
        30,
        0,
    ],
    ["Trồng rau VietGAP", "khuyen-nong", "", "", "", "02/04/2026", "02/04/2026", "02/04/2026", "", "", 55, 30, 0],
]


def upload(client, content, name="lop.xlsx"):
    return client.post(reverse("courses:import"), {"file": SimpleUploadedFile(name, content)})


def test_template_round_trip_previews_then_writes_everything(client_for, world):
    client = client_for(world.staff_a)
    response = upload(client, filled_template(client, GOOD))
    page = response.content.decode()
    assert "Xem trước" in page and "2 lớp, 3 buổi học" in page
    assert not Course.objects.exists()
    response = client.post(reverse("courses:import_confirm"), follow=True)
    assert "Đã nhập 2 lớp, 3 buổi học" in response.content.decode()
    assert Course.objects.filter(centre=world.centre_a).count() == 2
    assert sum(CentreYearFigure.objects.values_list("participations", flat=True)) == 205
    assert ClassSession.objects.get(date="2026-03-12").topic == "Phần 2"


def test_a_bad_row_is_named_with_its_column_and_nothing_is_written(client_for, world):
    client = client_for(world.staff_a)
    bad = [*GOOD, ["Lớp sai", KIND, "", "", "", "01/03/2026", "31/03/2026", "10/03/2026", "", 2, 10, 12, 0]]
    bad.append(["Lớp sai 2", KIND, "", "", "", "01/03/2026", "31/03/2026", "10/04/2026", "", 2, 10, 1, 0])
    page = upload(client, filled_template(client, bad)).content.decode()
    assert "Dòng 5, cột «Trong đó nữ»: số nữ lớn hơn số người dự." in page
    assert "Dòng 6, cột «Ngày học»: ngày học nằm ngoài thời gian của lớp." in page
    assert "Xác nhận nhập" not in page
    assert client.post(reverse("courses:import_confirm")).status_code == 302
    assert not Course.objects.exists() and not CentreYearFigure.objects.exists()


def test_a_wrong_header_is_refused(client_for, world):
    page = upload(client_for(world.staff_a), b"a,b\r\n1,2\r\n", name="x.csv").content.decode()
    assert "Dòng tiêu đề không đúng mẫu" in page


def test_a_year_locked_after_preview_writes_nothing(client_for, world):
    from evaluations.models import Assessment

    client = client_for(world.staff_a)
    upload(client, filled_template(client, GOOD))
    Assessment.objects.create(centre=world.centre_a, year=2026, status="approved", rating="tot")
    response = client.post(reverse("courses:import_confirm"), follow=True)
    assert "đã được Sở phê duyệt và khóa" in response.content.decode()
    assert not Course.objects.exists()


def test_all_or_nothing_when_a_later_class_fails_in_the_service(client_for, world, monkeypatch):
    from courses import services

    client = client_for(world.staff_a)
    upload(client, filled_template(client, GOOD))
    real = services.class_session_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError("Lỗi thử")
        return real(**kwargs)

    monkeypatch.setattr(services, "class_session_create", failing)
    response = client.post(reverse("courses:import_confirm"), follow=True)
    assert "Dòng 4: Lỗi thử" in response.content.decode()
    assert not Course.objects.exists() and not ClassSession.objects.exists()
