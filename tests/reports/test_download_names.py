"""Downloads keep their names in full, with the Vietnamese name for browsers that take it (issue 13 item 14).

Before: the file name was the title's slug cut at 60 characters, and "đ" vanished ("…cong-ong-nam-202-…")."""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from tthtcd_portal.xlsx import download_disposition, filename_for

TITLE = "Tổng hợp kết quả xếp loại trung tâm học tập cộng đồng năm 2024"


def test_the_ascii_name_keeps_the_whole_title_and_the_letter_d():
    name = filename_for(TITLE)
    assert name.startswith("tong-hop-ket-qua-xep-loai-trung-tam-hoc-tap-cong-dong-nam-2024-")
    assert name.endswith(".xlsx")


def test_the_header_carries_the_vietnamese_name_by_rfc_5987():
    made_at = timezone.now()
    header = download_disposition(TITLE, made_at)
    ascii_name = filename_for(TITLE, made_at)
    assert header.startswith(f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''")
    vietnamese = header.split("filename*=UTF-8''", 1)[1]
    assert vietnamese.startswith(quote("Tổng hợp kết quả xếp loại trung tâm học tập cộng đồng năm 2024"))
    assert vietnamese.endswith(".xlsx")


def test_an_official_report_downloads_under_its_full_name(world, figures, client_for):
    response = client_for(world.official).get(reverse("reports:official", args=["bc-xep-loai"]), {"den_nam": 2023})
    header = response["Content-Disposition"]
    assert 'filename="tong-hop-ket-qua-xep-loai-trung-tam-hoc-tap-cong-dong-nam-2023-' in header
    assert "filename*=UTF-8''" + quote("Tổng hợp kết quả xếp loại") in header


def test_a_list_export_downloads_under_its_full_name(world, client_for):
    response = client_for(world.official).get(reverse("reports:export", args=["trung-tam"]))
    header = response["Content-Disposition"]
    assert 'filename="' in header and "filename*=UTF-8''" in header, header
