# gunicorn settings for production (and `make serve`). 2 cores: 5 sync workers (2 × cores + 1).
#
# Sync workers, one request at a time each, not threads: nginx (docs/deployment.md) buffers the clients' request
# bodies and the responses, so a phone on a slow link never holds a worker, and a worker's requests do not
# contend with each other for the GIL. Measured against 5 workers × 2 threads (gthread) on the same database and
# load (docs/performance.md, "Gunicorn's threads"): the same throughput, p95 30-40 % lower. An export over
# REPORTS_BACKGROUND_ROWS rows runs in the background worker and an upload is at most MAX_UPLOAD_BYTES, so no
# request should come near the 60 s timeout, past which gunicorn kills a sync worker and its request (a 502).
# GUNICORN_THREADS > 1 selects gthread again (without nginx in front, for instance).
import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (a guard against slow memory growth). A new worker starts cold:
# its kept pages and the dashboards' boards are per process (docs/performance.md), and the first request of
# each page compiles nothing now (tthtcd_portal/wsgi.py warm_up) but still renders and fills those caches.
# At 2,000 a busy portal (the benchmark's ~600 requests/s over 5 workers) replaced every worker about every
# 16 s, ~1.7 s of CPU each time plus every page and board rendered again, which made the slowest 5% of
# requests (issue 18). 20,000 ± 10 % is still hours at a province's daytime traffic; memory stays bounded
# anyway (every per-process cache is bounded: tthtcd_portal/bounded.py, the cache aliases' MAX_ENTRIES).
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)
errorlog = "-"


def post_worker_init(worker):
    """Django's one-time costs (the URL conf, the project's templates, gc.freeze) paid before the worker accepts
    a connection: tthtcd_portal/wsgi.py warm_up. Here rather than at the module's import, so that runserver
    (which imports the same module and reloads on every change) does not compile every template each time."""
    from tthtcd_portal.wsgi import warm_up

    warm_up()
