"""A new gunicorn worker pays Django's one-time costs before it takes a request (tthtcd_portal/wsgi.py, issue 18).

Without it a (re)started worker imported every view at its first request and compiled each template at the
first use of a page: a second or more, under load, for that request and the ones queued behind it."""

import gc

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

from tthtcd_portal import wsgi


def cached_loader() -> CachedLoader:
    return next(loader for loader in engines["django"].engine.template_loaders if isinstance(loader, CachedLoader))


def test_the_project_templates_are_compiled_without_touching_the_database():
    # No `db` fixture: pytest-django refuses any database access here, so warm_up() runs no query.
    loader = cached_loader()
    loader.reset()
    wsgi.warm_up()
    compiled = set(loader.get_template_cache)
    assert {"base.html", "centres/list.html", "home.html"} <= compiled
    # What was built at start-up is out of the garbage collector's full passes (they stall the worker).
    assert gc.get_freeze_count() > 10_000
    # Packages' templates (Django's own admin pages) are still compiled when first used.
    assert "admin/index.html" not in compiled
