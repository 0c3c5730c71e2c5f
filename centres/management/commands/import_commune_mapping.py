from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centres.mapping import parse_commune_mapping
from centres.services import commune_mapping_apply
from tthtcd_portal.spreadsheets import SpreadsheetError


class Command(BaseCommand):
    help = (
        "Áp dụng bảng chuyển đổi xã cũ → xã mới năm 2025 (.csv hoặc .xlsx): xã cũ hết hiệu lực 30/06/2025, "
        "trung tâm của xã cũ sáp nhập vào trung tâm của xã mới từ 01/07/2025. Cần nhập danh mục 2 cấp trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp theo mẫu commune_mapping_2025_thai_binh.csv")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        try:
            with path.open("rb") as handle:
                rows = parse_commune_mapping(handle, path.name)
            result = commune_mapping_apply(rows=rows, by=None)
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(result.summary())
