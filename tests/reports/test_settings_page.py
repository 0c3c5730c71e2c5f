from django.urls import reverse

from reports.models import ReportSettings


def test_official_sets_the_report_header_once(world, client_for):
    client = client_for(world.official)
    page = client.get(reverse("reports:settings")).content.decode()
    assert "UBND TỈNH THÁI BÌNH" in page  # the default before anything is saved
    data = {
        "parent_body": "UBND TỈNH HƯNG YÊN",
        "issuing_body": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "place_name": "Hưng Yên",
        "signer_title": "KT. GIÁM ĐỐC",
        "signer_name": "Trần Thị Hoa",
    }
    response = client.post(reverse("reports:settings"), data)
    assert response.status_code == 302
    saved = ReportSettings.objects.get(province=world.province)
    assert saved.place_name == "Hưng Yên" and saved.updated_by == world.official


def test_blank_place_is_refused_with_a_message_and_nothing_saved(world, client_for):
    response = client_for(world.official).post(
        reverse("reports:settings"),
        {"parent_body": "UBND", "issuing_body": "SỞ", "place_name": " ", "signer_title": "GĐ", "signer_name": ""},
    )
    assert response.status_code == 200
    assert "Không được để trống." in response.content.decode() or "Trường này là bắt buộc." in response.content.decode()
    assert not ReportSettings.objects.exists()


def test_reviewers_and_staff_may_not_change_settings(world, client_for):
    for user in (world.reviewer_x, world.staff_a):
        client = client_for(user)
        assert client.get(reverse("reports:settings")).status_code == 403
        assert client.post(reverse("reports:settings"), {"place_name": "X"}).status_code == 403
    assert not ReportSettings.objects.exists()
