from django.core.management.base import BaseCommand

from courses.figures import figures_rebuild


class Command(BaseCommand):
    help = "Tính lại số liệu năm của các trung tâm (CentreYearFigure) từ lớp học và buổi học."

    def add_arguments(self, parser):
        parser.add_argument("--centre", type=int, action="append", help="Chỉ tính lại trung tâm có id này.")

    def handle(self, *args, **options):
        rows = figures_rebuild(centre_ids=options["centre"])
        self.stdout.write(self.style.SUCCESS(f"Đã tính lại {rows} dòng số liệu."))
