from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centres.mapping import Reason, centre_destinations, parse_commune_mapping
from centres.services import commune_mapping_apply
from tthtcd_portal.spreadsheets import SpreadsheetError
from units.gso import code_cell

REASONS = {
    Reason.MARKED: "marked receives_centre",
    Reason.KEPT_CODE: "kept the old code",
    Reason.SAME_NAME: "same name",
    Reason.FIRST_LISTED: "listed first",
}


class Command(BaseCommand):
    help = (
        "Áp dụng bảng chuyển đổi xã cũ → xã mới năm 2025 (.csv hoặc .xlsx): xã cũ hết hiệu lực 30/06/2025, "
        "trung tâm của xã cũ sáp nhập vào trung tâm của xã mới từ 01/07/2025. Cần nhập cả hai danh mục trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Tệp theo mẫu commune_mapping_2025_thai_binh.csv hoặc commune_mapping_2025_vn.csv"
        )
        parser.add_argument(
            "--province",
            help="Mã tỉnh mới (2 chữ số, ví dụ 33): chỉ áp dụng các xã cũ có trung tâm chuyển về tỉnh này",
        )
        parser.add_argument(
            "--end-unmapped",
            action="store_true",
            help="Các xã của những tỉnh cũ trong tệp mà tệp không nhắc đến cũng hết hiệu lực 30/06/2025 "
            "(không có xã kế tiếp); trung tâm của chúng giữ nguyên để sáp nhập trên trang Sáp nhập",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        try:
            province = code_cell(options["province"], 2, 0, "--province") if options["province"] else None
        except SpreadsheetError:
            raise CommandError(
                f"--province phải là mã tỉnh 2 chữ số, ví dụ 33 (nhận được «{options['province']}»)."
            ) from None
        try:
            with path.open("rb") as handle:
                rows = parse_commune_mapping(handle, path.name)
            result = commune_mapping_apply(rows=rows, by=None, province=province, end_unmapped=options["end_unmapped"])
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(result.summary())
        if options["verbosity"] >= 2:
            names = {(r.old_code, r.new_code): (r.old_name, r.new_name) for r in rows}
            for old_code, destination in sorted(centre_destinations(rows).items()):
                if destination.parts > 1:
                    old_name, new_name = names[(old_code, destination.new_code)]
                    self.stdout.write(
                        f"  {old_code} {old_name} → {destination.new_code} {new_name} "
                        f"({REASONS[destination.reason]}, {destination.parts} parts)"
                    )
