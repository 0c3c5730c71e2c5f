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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--write", action="store_true", help="append the table to docs/performance.md")
    args = parser.parse_args()
    visits, size = measure(args.url)
    text = table(args.url, visits, size)
    print(text)
    if args.write:
        with DOC.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
