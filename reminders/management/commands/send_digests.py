"""Send (or, with --dry-run, print) today's reminder digests: `manage.py send_digests --dry-run`."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from reminders.services import digest_recipients, digests_send


class Command(BaseCommand):
    help = "Gửi thư nhắc việc hằng ngày (--dry-run: chỉ in ra, không gửi)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="In thư ra màn hình, không gửi, không ghi gì.")
        parser.add_argument("--user", action="append", default=[], help="Chỉ người dùng này (lặp lại được).")

    def handle(self, *args, dry_run=False, user=(), **options):
        users = User.objects.filter(username__in=user).order_by("id") if user else digest_recipients()

        def show(digest):
            if dry_run:
                self.stdout.write(
                    f"=== {digest.user.username} <{digest.user.email}>\n{digest.subject}\n\n{digest.body}"
                )

        n = digests_send(today=timezone.localdate(), dry_run=dry_run, users=users, show=show)
        self.stdout.write(f"{'Sẽ gửi' if dry_run else 'Đã gửi'} {n} thư nhắc việc.")
