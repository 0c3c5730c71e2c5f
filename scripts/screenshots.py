"""Screenshots of portal pages at phone and desktop width, to look at pages as a user would.

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --user demo_xa /trung-tam/ /lop-hoc/
    .venv/bin/python scripts/screenshots.py --lang en --user demo_tinh /   # the English interface

Writes screenshots/<user>-<slug>-<width>.png. Needs Debian's chromium.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="tthtcd-demo-2026")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--full", action="store_true", help="full-page screenshots")
    parser.add_argument("--lang", default="", help="interface language (sets the django_language cookie), e.g. en")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
            if args.lang:
                context.add_cookies([{"name": "django_language", "value": args.lang, "url": args.base}])
            page = context.new_page()
            if args.user:
                page.goto(args.base + "/tai-khoan/dang-nhap/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("button[type=submit]")
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(args.base + path)
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                lang = f"-{args.lang}" if args.lang else ""
                name = out / f"{args.user or 'anon'}-{slug}{lang}-{label}.png"
                page.screenshot(path=str(name), full_page=args.full)
                print(name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
