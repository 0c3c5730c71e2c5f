"""Learning materials: who uploads what, who sees what, approval, the scoped and type-checked download, a class's
materials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from materials.models import CourseMaterial, Material
from tests.courses.factories import CourseFactory
from tests.factories import programme_kind
from tests.materials.factories import PDF, material

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "title": "Phòng chống dịch bệnh cho đàn lợn",
        "programme_kind": programme_kind("khuyen-nong").pk,
        "topic": "chăn nuôi",
        "audience": "learners",
        "author": "Chi cục Chăn nuôi và Thú y",
        "issued_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_centre_upload_waits_for_the_province_then_is_published(world, client_for):
    client = client_for(world.staff_a)
    response = client.post("/hoc-lieu/tai-len/", _form(file=SimpleUploadedFile("lon.pdf", PDF, "application/pdf")))
    item = Material.objects.get()
    assert response.status_code == 302 and item.status == "pending" and item.centre == world.centre_a
    # Not yet published: centre B does not see it; the province does, with the approval buttons.
    assert client_for(world.staff_b).get(f"/hoc-lieu/{item.pk}/").status_code == 404
    page = client_for(world.official).get(f"/hoc-lieu/{item.pk}/").content.decode()
    assert "Duyệt và đăng" in page
    client_for(world.official).post(f"/hoc-lieu/{item.pk}/duyet/")
    item.refresh_from_db()
    assert item.status == "published" and item.reviewed_by == world.official
    assert client_for(world.staff_b).get(f"/hoc-lieu/{item.pk}/").status_code == 200
    download = client_for(world.staff_b).get(f"/hoc-lieu/{item.pk}/tai-ve/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]


def test_province_upload_is_published_at_once(world, client_for):
    client_for(world.official).post("/hoc-lieu/tai-len/", _form(url="https://www.youtube.com/watch?v=abc"))
    item = Material.objects.get()
    assert item.status == "published" and item.centre is None and item.kind == "link"


def test_a_renamed_file_is_refused(world, client_for):
    response = client_for(world.staff_a).post(
        "/hoc-lieu/tai-len/", _form(file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"))
    )
    assert "Nội dung tệp không đúng định dạng .pdf." in response.content.decode()
    assert not Material.objects.exists()


def test_an_unaccepted_type_is_refused(world, client_for):
    response = client_for(world.staff_a).post(
        "/hoc-lieu/tai-len/", _form(file=SimpleUploadedFile("bai.exe", b"MZ\x90\x00"))
    )
    assert "Chỉ nhận tệp PDF, Word" in response.content.decode()
    assert not Material.objects.exists()


def test_a_file_too_large_is_refused(world, client_for, settings):
    settings.MAX_UPLOAD_BYTES = 10
    response = client_for(world.staff_a).post(
        "/hoc-lieu/tai-len/", _form(file=SimpleUploadedFile("lon.pdf", PDF + b"x" * 20))
    )
    assert "Tệp quá lớn" in response.content.decode()
    assert not Material.objects.exists()


def test_both_or_neither_file_and_link_is_refused(world, client_for):
    response = client_for(world.staff_a).post("/hoc-lieu/tai-len/", _form())
    assert "Chọn một tệp tài liệu hoặc nhập một liên kết" in response.content.decode()
    assert not Material.objects.exists()


def test_rejection_needs_a_reason_and_is_shown_to_the_centre(world, client_for):
    item = material(province=world.province, by=world.staff_a, centre=world.centre_a)
    official = client_for(world.official)
    response = official.post(f"/hoc-lieu/{item.pk}/khong-duyet/", {"reason": ""})
    assert "Nhập lý do không duyệt" in response.content.decode() or "bắt buộc" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "pending"
    official.post(f"/hoc-lieu/{item.pk}/khong-duyet/", {"reason": "Thiếu tên tác giả"})
    item.refresh_from_db()
    assert item.status == "rejected"
    assert "Thiếu tên tác giả" in client_for(world.staff_a).get(f"/hoc-lieu/{item.pk}/").content.decode()


def test_staff_and_reviewers_cannot_approve(world, client_for):
    item = material(province=world.province, by=world.staff_a, centre=world.centre_a)
    assert client_for(world.staff_a).post(f"/hoc-lieu/{item.pk}/duyet/").status_code == 403
    assert client_for(world.reviewer_x).post(f"/hoc-lieu/{item.pk}/duyet/").status_code == 403
    assert client_for(world.other_official).post(f"/hoc-lieu/{item.pk}/duyet/").status_code == 404
    item.refresh_from_db()
    assert item.status == "pending"


def test_another_province_sees_nothing(world, client_for):
    item = material(province=world.province, by=world.official, title="Học liệu của tỉnh P")
    client = client_for(world.other_official)
    assert "Học liệu của tỉnh P" not in client.get("/hoc-lieu/").content.decode()
    assert client.get(f"/hoc-lieu/{item.pk}/").status_code == 404
    assert client.get(f"/hoc-lieu/{item.pk}/tai-ve/").status_code == 404


def test_search_and_filters(world, client_for):
    material(province=world.province, by=world.official, title="Trồng lúa", topic="trồng trọt")
    material(
        province=world.province,
        by=world.official,
        title="Luật đất đai",
        topic="pháp luật",
        kind=programme_kind("phap-luat"),
    )
    client = client_for(world.staff_a)
    page = client.get("/hoc-lieu/", {"q": "đất"}).content.decode()
    assert "Luật đất đai" in page and "Trồng lúa" not in page
    page = client.get("/hoc-lieu/", {"loai": programme_kind("khuyen-nong").pk}).content.decode()
    assert "Trồng lúa" in page and "Luật đất đai" not in page
    page = client.get("/hoc-lieu/", {"chu_de": "Pháp luật"}).content.decode()
    assert "Luật đất đai" in page and "Trồng lúa" not in page


def test_list_query_count_is_pinned(world, client_for, django_assert_num_queries):
    for n in range(5):
        material(province=world.province, by=world.official, title=f"Học liệu {n}")
        material(province=world.province, by=world.staff_a, centre=world.centre_a, title=f"Của xã {n}")
    client = client_for(world.staff_a)
    client.get("/hoc-lieu/")
    # session, user with their centre (page header: accounts/backends.py), count, the programme kinds of the filter, materials (kind and
    # commune joined): whatever the number of rows
    with django_assert_num_queries(5):
        page = client.get("/hoc-lieu/").content.decode()
    assert "Học liệu 4" in page and "Của xã 4" in page


def test_a_class_lists_the_materials_it_used(world, client_for):
    item = material(province=world.province, by=world.official)
    pending = material(province=world.province, by=world.staff_a, centre=world.centre_a, title="Chưa duyệt")
    course = CourseFactory(centre=world.centre_a)
    client = client_for(world.staff_a)
    page = client.get(f"/hoc-lieu/lop/{course.pk}/").content.decode()
    assert item.title in page and "Chưa duyệt" not in page  # only published materials are offered
    client.post(f"/hoc-lieu/lop/{course.pk}/", {"material": item.pk})
    use = CourseMaterial.objects.get()
    assert use.material == item
    assert client.post(f"/hoc-lieu/lop/{course.pk}/", {"material": pending.pk}).status_code == 200
    assert CourseMaterial.objects.count() == 1
    # Another centre's staff neither see nor change the class's list.
    other = client_for(world.staff_b)
    assert other.get(f"/hoc-lieu/lop/{course.pk}/").status_code == 404
    assert other.post(f"/hoc-lieu/lop/{course.pk}/bo/{use.pk}/").status_code == 404
    # The reviewer reads, and may not change it.
    assert client_for(world.reviewer_x).post(f"/hoc-lieu/lop/{course.pk}/", {"material": item.pk}).status_code == 403
    client_for(world.staff_a).post(f"/hoc-lieu/lop/{course.pk}/bo/{use.pk}/")
    assert not CourseMaterial.objects.exists()


def test_a_kind_the_province_hides_is_not_offered_for_a_material(world, client_for):
    from courses.models import ProvinceProgrammeKind

    hidden = programme_kind("khuyen-nong")
    ProvinceProgrammeKind.objects.create(province=world.province, programme_kind=hidden)
    client = client_for(world.staff_a)
    assert f'value="{hidden.pk}"' not in client.get("/hoc-lieu/tai-len/").content.decode()
    response = client.post("/hoc-lieu/tai-len/", _form(file=SimpleUploadedFile("lon.pdf", PDF, "application/pdf")))
    assert response.status_code == 200 and not Material.objects.exists()
    # The other province still has it.
    assert f'value="{hidden.pk}"' in client_for(world.other_official).get("/hoc-lieu/tai-len/").content.decode()
