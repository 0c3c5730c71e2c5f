"""Load the demo province (Hưng Yên today, with the history of former Thái Bình and Hưng Yên) and the demo accounts.

Each app seeds its own part through its `demo.seed(*, rng, log)`; the steps run in order, each in its
own transaction, with bulk inserts so the whole demo loads in under a minute. `--scale nation` then builds
the nation on top (portal/national.py: every commune of both national lists, 2019 to today, ratings and
figures; `--provinces N` for the first N provinces of today's list). The benchmark's province-scale data goes
on top with `python -m bench.scale` (product code never imports bench).
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from units.models import Province

DEMO_STEPS = [
    "units.demo.seed",
    "accounts.demo.seed_offices",
    "centres.demo.seed",
    "portal.demo.seed_users",
    "courses.demo.seed",
    "evaluations.demo.seed",
    "training.demo.seed",
    "materials.demo.seed",
    "planning.demo.seed",
    "portal.demo.seed_library_and_resources",
]


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: tỉnh Hưng Yên hiện nay cùng lịch sử của Thái Bình và Hưng Yên cũ, các trung tâm, "
        "lớp học, xếp loại và tài khoản demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Chỉ nạp khi cơ sở dữ liệu còn trống.")
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")
        parser.add_argument(
            "--scale",
            choices=["demo", "nation"],
            default="demo",
            help="demo: tỉnh mẫu; nation: thêm mọi xã của hai danh mục quốc gia, 2019 đến nay (portal/national.py).",
        )
        parser.add_argument(
            "--provinces",
            type=int,
            default=None,
            help="Với --scale nation: chỉ N tỉnh đầu tiên của danh mục 2025 cùng các xã cũ nhập vào chúng.",
        )

    def handle(self, *args, **options):
        if Province.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Dữ liệu đã có sẵn; bỏ qua nạp dữ liệu mẫu.")
            else:
                self.stderr.write("Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
            if settings.DEBUG:
                self.stdout.write(demo_accounts_text())
            return
        rng = random.Random(options["seed"])
        started = time.monotonic()
        for dotted in DEMO_STEPS:
            step = import_string(dotted)
            step_started = time.monotonic()
            with transaction.atomic():
                step(rng=rng, log=self.stdout.write)
            self.stdout.write(f"  {dotted}: {time.monotonic() - step_started:.1f} s")
        if options["scale"] == "nation":
            from portal.national import seed as national_seed

            national_seed(log=self.stdout.write, provinces=options["provinces"], seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu trong {time.monotonic() - started:.1f} s."))
        if settings.DEBUG:
            self.stdout.write(demo_accounts_text())


def demo_accounts_text() -> str:
    from portal.demo import DEMO_ACCOUNTS

    lines = [f"Tài khoản demo (mật khẩu: {settings.DEMO_PASSWORD}):"]
    lines += [f"  {username:<12} {description}" for username, description in DEMO_ACCOUNTS]
    return "\n".join(lines)
