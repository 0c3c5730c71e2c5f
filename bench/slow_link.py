"""The portal on a slow rural link (issue 19): the app shell's size, and a repeat visit served by the service worker.

Against a server that is already running (`make serve`, gunicorn with DJANGO_DEBUG=0, compressed static files):

    .venv/bin/python -m bench.slow_link --url http://127.0.0.1:8000 [--write]

Chromium (/usr/bin/chromium) is throttled through the DevTools protocol to 400 kbit/s each way and 400 ms round
trip. It opens the offline page (/ngoai-tuyen/, public, the same for everyone) with an empty profile, waits for the
service worker to take control, then opens it again (repeat visit), and once more with the network cut. For each
visit: the time to the load event, the bytes that crossed the network and how many files the worker answered.
The app shell is what the worker keeps (static files and the offline page), measured from its caches. `--write`
appends the table to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
KBPS = 400
RTT_MS = 400
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


@dataclass
class Visit:
    name: str
    seconds: float
    network_bytes: int
    requests: int
    from_cache: int  # answered by the worker from its cache
    urls: dict[str, int]  # url → bytes over the network


def _visit(page, cdp, name: str, go, first: Visit | None = None, online: bool = True) -> Visit:
    """One load. A request the worker answered by fetching from the network (a page: network first) is not
    seen by the page's DevTools session; its bytes are those the same URL took on the first visit."""
    seen: dict[str, dict] = {}

    def received(event):
        item = seen.setdefault(event["requestId"], {})
        item["worker"] = event["response"].get("fromServiceWorker", False)
        item["url"] = event["response"]["url"]

    def finished(event):
        seen.setdefault(event["requestId"], {})["bytes"] = event.get("encodedDataLength", 0)

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    go()
    page.wait_for_load_state("load")
    seconds = time.perf_counter() - start
    page.wait_for_timeout(300)  # the last loadingFinished events
    cdp.remove_listener("Network.responseReceived", received)
    cdp.remove_listener("Network.loadingFinished", finished)
    cached = set(page.evaluate(CACHED_JS, [r["url"] for r in seen.values() if r.get("worker") and "url" in r]))
    if online:
        cached.discard(page.url)  # pages go to the network first; the cached copy is for no network
    urls, from_cache = {}, 0
    seen = {k: r for k, r in seen.items() if not r.get("url", "").startswith("data:")}
    for r in seen.values():
        if "url" not in r:
            continue
        if r.get("worker") and r["url"] in cached:
            from_cache += 1
        elif r.get("worker"):
            urls[r["url"]] = first.urls.get(r["url"], 0) if first else 0
        else:
            urls[r["url"]] = r.get("bytes", 0)
    return Visit(name, seconds, sum(urls.values()), len(seen), from_cache, urls)


CACHED_JS = """
async (urls) => {
  const out = [];
  for (const url of urls) { if (await caches.match(url, { ignoreSearch: true })) { out.push(url); } }
  return out;
}
"""


SHELL_SIZE_JS = """
async () => {
  let files = 0, bytes = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      bytes += (await response.blob()).size;
      files += 1;
    }
  }
  return [files, bytes];
}
"""


def measure(url: str) -> tuple[list[Visit], tuple[int, int]]:
    from playwright.sync_api import sync_playwright

    shell = url.rstrip("/") + "/ngoai-tuyen/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        conditions = {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": KBPS * 1000 / 8,
            "uploadThroughput": KBPS * 1000 / 8,
        }
        cdp.send("Network.emulateNetworkConditions", conditions)
        visits = [_visit(page, cdp, "first visit (empty profile)", lambda: page.goto(shell))]
        # Polled with evaluate: wait_for_function evaluates a string, which the portal's CSP refuses.
        deadline = time.monotonic() + 120
        while not page.evaluate("navigator.serviceWorker.controller !== null") and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        visits.append(_visit(page, cdp, "repeat visit (service worker)", lambda: page.reload(), visits[0]))
        context.set_offline(True)
        visits.append(_visit(page, cdp, "no network (service worker)", lambda: page.reload(), visits[0], online=False))
        size = tuple(page.evaluate(SHELL_SIZE_JS))
        browser.close()
    return visits, size


def table(url: str, visits: list[Visit], size: tuple[int, int]) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M +0000")
    lines = [
        f"### Slow link, run of {now} ({KBPS} kbit/s, {RTT_MS} ms RTT, `python -m bench.slow_link`)",
        "",
        f"App shell kept by the service worker: {size[0]} files, {size[1] / 1024:,.0f} KiB uncompressed (`{url}`).",
        "",
        "| visit of /ngoai-tuyen/ | load event | over the network | requests | from the worker's cache |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for v in visits:
        lines.append(
            f"| {v.name} | {v.seconds:.1f} s | {v.network_bytes / 1024:,.1f} KiB | {v.requests} | {v.from_cache} |"
        )
    return "\n".join(lines) + "\n"


# --- The main pages of each role (issue 18) -----------------------------------------------------------

FIRST_TARGET_KB, FIRST_TARGET_S = 150, 4.0  # login, then the centre page, on an empty cache
REPEAT_TARGET_KB, REPEAT_TARGET_S = 30, 1.5  # any main page visited again
CHART_JS = "chart.umd"


@dataclass
class PageLoad:
    user: str
    label: str
    visit: str  # "first" or "repeat"
    seconds: float
    network_bytes: int
    requests: int
    chart_js: bool


def _load(page, cdp, go) -> tuple[float, int, int, bool]:
    """Time to the load event, bytes over the network (encoded, headers included; 0 for what the browser's
    cache answered), requests, and whether the charts' script was among them."""
    seen: dict[str, dict] = {}

    def received(event):
        seen.setdefault(event["requestId"], {})["url"] = event["response"]["url"]

    def finished(event):
        seen.setdefault(event["requestId"], {})["bytes"] = event.get("encodedDataLength", 0)

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    go()
    page.wait_for_load_state("load")
    seconds = time.perf_counter() - start
    page.wait_for_timeout(300)
    cdp.remove_listener("Network.responseReceived", received)
    cdp.remove_listener("Network.loadingFinished", finished)
    loads = [r for r in seen.values() if not r.get("url", "").startswith("data:")]
    return (
        seconds,
        sum(r.get("bytes", 0) for r in loads),
        len(loads),
        any(CHART_JS in r.get("url", "") for r in loads),
    )


def measure_roles(url: str, pages_by_user: dict, password: str) -> list[PageLoad]:
    """For each demo account, in a fresh browser profile (empty cache) throttled like `measure`: the login
    page, logging in, each main page of the role once (first visit), then each again (repeat visit).

    The service worker is kept out of these profiles (Playwright `service_workers="block"`): the DevTools
    throttling applies to the page, not to the worker's own fetches, which would then cross an unthrottled
    network. Without it static files come from the browser's HTTP cache (hashed names, cached a year) on a
    repeat visit — the same bytes as from the worker's cache, which `measure` shows for the offline page."""
    from playwright.sync_api import sync_playwright

    base = url.rstrip("/")
    out: list[PageLoad] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for user, pages in pages_by_user.items():
            context = browser.new_context(
                locale="vi-VN", viewport={"width": 390, "height": 844}, service_workers="block"
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": RTT_MS, "downloadThroughput": KBPS * 1000 / 8, "uploadThroughput": KBPS * 1000 / 8},
            )  # fmt: skip
            out.append(
                PageLoad(
                    user,
                    "Đăng nhập",
                    "first",
                    *_load(page, cdp, lambda page=page: page.goto(base + "/tai-khoan/dang-nhap/")),
                )
            )

            def submit(page=page, user=user):
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", password)
                page.click("form button[type=submit]")

            out.append(PageLoad(user, "Đăng nhập → trang chủ", "first", *_load(page, cdp, submit)))
            for visit in ("first", "repeat"):
                for item in pages:
                    result = _load(page, cdp, lambda item=item, page=page: page.goto(base + item.path))
                    out.append(PageLoad(user, item.label, visit, *result))
            context.close()
        browser.close()
    return out


def roles_table(url: str, loads: list[PageLoad]) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M +0000")
    lines = [
        f"### Slow link, main pages of each role, run of {now} ({KBPS} kbit/s, {RTT_MS} ms RTT, `{url}`)",
        "",
        f"Targets: the login page then the centre page on an empty cache ≤ {FIRST_TARGET_KB} KB and ≤ "
        f"{FIRST_TARGET_S:g} s; a repeat visit of any main page ≤ {REPEAT_TARGET_KB} KB and ≤ {REPEAT_TARGET_S:g} s; "
        "the charts' script only on chart pages.",
        "",
        "| user | page | visit | load event | over the network | requests | charts' script | met |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for load in loads:
        met = ""
        if load.visit == "repeat":
            ok = load.network_bytes <= REPEAT_TARGET_KB * 1024 and load.seconds <= REPEAT_TARGET_S
            met = "yes" if ok else "no"
        lines.append(
            f"| {load.user} | {load.label} | {load.visit} | {load.seconds:.1f} s | {load.network_bytes / 1024:,.1f} KiB "
            f"| {load.requests} | {'yes' if load.chart_js else ''} | {met} |"
        )
    staff = [load for load in loads if load.user == "demo_xa" and load.visit == "first"]
    if len(staff) >= 3:
        login, centre = staff[0], staff[2]  # the login page, then (after logging in) the centre page
        total = login.network_bytes + centre.network_bytes
        ok = total <= FIRST_TARGET_KB * 1024 and max(login.seconds, centre.seconds) <= FIRST_TARGET_S
        lines += [
            "",
            f"- First visit, login page then the centre page (demo_xa): {total / 1024:,.1f} KiB, "
            f"{login.seconds:.1f} s and {centre.seconds:.1f} s (target ≤ {FIRST_TARGET_KB} KB, ≤ {FIRST_TARGET_S:g} s "
            f"each): {'met' if ok else 'not met'}",
        ]
    repeats = [load for load in loads if load.visit == "repeat"]
    if repeats:
        worst_bytes = max(repeats, key=lambda load: load.network_bytes)
        worst_time = max(repeats, key=lambda load: load.seconds)
        ok = all(load.network_bytes <= REPEAT_TARGET_KB * 1024 and load.seconds <= REPEAT_TARGET_S for load in repeats)
        lines.append(
            f"- Repeat visits: at most {worst_bytes.network_bytes / 1024:,.1f} KiB ({worst_bytes.label}, {worst_bytes.user}) "
            f"and {worst_time.seconds:.1f} s ({worst_time.label}, {worst_time.user}): {'met' if ok else 'not met'}"
        )
    charts = {load.label for load in loads if load.chart_js}
    lines.append(f"- Pages that loaded the charts' script: {', '.join(sorted(charts)) or 'none'}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--write", action="store_true", help="append the table to docs/performance.md")
    parser.add_argument(
        "--roles", action="store_true", help="the main pages of each demo role (ids read from DATABASE_URL)"
    )
    args = parser.parse_args()
    if args.roles:
        import os

        from bench import data
        from bench.run import DEFAULT_DATABASE_URL, query

        database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        pages = data.slow_link_pages("province", lambda sql: query(database_url, sql))
        text = roles_table(args.url, measure_roles(args.url, pages, data.DEMO_PASSWORD))
    else:
        visits, size = measure(args.url)
        text = table(args.url, visits, size)
    print(text)
    if args.write:
        with DOC.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
