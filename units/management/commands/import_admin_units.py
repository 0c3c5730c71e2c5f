import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tthtcd_portal.spreadsheets import SpreadsheetError
from units.gso import parse_gso
from units.services import admin_units_import


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị hành chính theo mẫu của Tổng cục Thống kê (.xlsx hoặc .csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv theo mẫu GSO")
        parser.add_argument(
            "--valid-from",
            help="Ngày danh mục có hiệu lực, YYYY-MM-DD (mặc định: 2000-01-01 cho danh mục 3 cấp, "
            "2025-07-01 cho danh mục 2 cấp)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        valid_from = None
        if options["valid_from"]:
            try:
                valid_from = datetime.date.fromisoformat(options["valid_from"])
            except ValueError:
                raise CommandError("--valid-from phải là ngày dạng YYYY-MM-DD, ví dụ 2025-07-01.") from None
        try:
            with path.open("rb") as handle:
                gso = parse_gso(handle, path.name)
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from None
        result = admin_units_import(gso=gso, valid_from=valid_from)
        self.stdout.write(result.summary())
