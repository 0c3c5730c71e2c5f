"""Every write of the library and resources apps is a line of the audit trail, with who and what changed, and
stays in the official's scope."""

import datetime

import pytest

from library import services as library_services
from reports import audit
from resources import services as resource_services
from tests import clock

pytestmark = pytest.mark.django_db


def test_library_and_resources_changes_are_in_the_audit_trail(world):
    year = clock.this_year()
    library_services.library_months_save(centre=world.centre_a, year=year, figures={1: (10, 4)}, by=world.staff_a)
    library_services.library_months_save(centre=world.centre_a, year=year, figures={1: (12, 4)}, by=world.staff_a)
    gift = resource_services.contribution_record(
        centre=world.centre_a, date=datetime.date(year, 1, 5), source="doanh_nghiep", kind="thiet_bi",
        value=7_000_000, quantity=1, description="Máy chiếu", by=world.staff_a,
    )  # fmt: skip
    resource_services.contribution_archive(contribution=gift, by=world.staff_a)
    entries = audit.recent_entries(user=world.official, filters=audit.AuditFilters(), limit=50)
    lines = {(e.kind_label, e.object_label, e.action) for e in entries}
    assert ("Bạn đọc theo tháng", f"01/{year}", "Thêm mới") in lines
    assert ("Bạn đọc theo tháng", f"01/{year}", "Sửa") in lines
    assert ("Huy động nguồn lực", "Máy chiếu", "Thêm mới") in lines
    assert ("Huy động nguồn lực", "Máy chiếu", "Xóa (lưu trữ)") in lines
    assert ("Thiết bị", "Máy chiếu", "Thêm mới") in lines
    changed = next(e for e in entries if e.kind_label == "Bạn đọc theo tháng" and e.action == "Sửa")
    assert [(c.old, c.new) for c in changed.changes] == [("10", "12")]
    mine = [e for e in entries if e.kind_label in ("Bạn đọc theo tháng", "Huy động nguồn lực", "Thiết bị")]
    assert len(mine) == 6 and {e.who for e in mine} == {audit.person(world.staff_a)}
    assert audit.recent_entries(user=world.other_official, filters=audit.AuditFilters(), limit=50) == []
