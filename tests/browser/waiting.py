"""Waiting in a browser test under the portal's CSP (script-src 'self'): page.wait_for_function compiles its
predicate with eval inside the page, which the CSP refuses; these poll with page.evaluate instead."""

import time


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression (it may be a promise) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression[:80]}")
        page.wait_for_timeout(100)


def wait_for_worker(page) -> None:
    """The service worker is installed and controls the page. A worker that activated after the page loaded
    controls it only from the next load (when clients.claim() lost the race), so reload once if needed."""
    wait_until(page, "navigator.serviceWorker.ready.then(() => true)", timeout=60)
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=60)
