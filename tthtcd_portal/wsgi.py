import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthtcd_portal.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """What a process pays once, paid before it takes a request (issue 18).

    Django imports the URL conf (every view, form and selector module: ~0.7 s of CPU) at the first request and
    compiles each template at its first use (~0.1 s for a list page). gunicorn calls this in each new worker
    before the worker accepts a connection (deploy/gunicorn.conf.py, post_worker_init), so a (re)started worker answers its first requests like the
    others, instead of keeping them, and the requests queued behind them, waiting a second. No query is run
    (no database connection is opened). The project's own templates only: the admin's and other packages' are
    still compiled at their first use.

    Last, gc.freeze(): what the process has built so far (modules, URL patterns, templates: ~145,000 objects
    the garbage collector tracks) lives as long as the process, and the collector's full passes, which hold
    the GIL and so stall both threads of a worker, stop walking it: the full pass during 150 renders of the
    centre list (tthtcd_bench) 205-210 -> 25-29 ms of CPU."""
    import gc
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URL conf, and with it every view)
    resolver.reverse_dict  # noqa: B018 (the table reverse() and {% url %} read)
    engine = engines["django"].engine
    base = Path(settings.BASE_DIR)
    directories = [Path(d) for d in engine.dirs]
    directories += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == base  # the project's apps, not installed packages
    ]
    for directory in directories:
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
    gc.collect()
    gc.freeze()
