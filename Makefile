# The commands the README names. Everything installs into .venv; nothing else is needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-at lint format serve secret-key bench loadtest worker periodic messages install clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo province when the database is empty, serve on 127.0.0.1:$(PORT),
## with the task worker (background exports) and the periodic runner (PERIODIC_TASKS) beside it
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "Mở http://127.0.0.1:$(PORT)  (Ctrl+C để dừng)"
	$(PY) manage.py db_worker --queue-name "*" & WORKER=$$!; \
	$(PY) manage.py run_periodic & PERIODIC=$$!; \
	trap "kill $$WORKER $$PERIODIC 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, migrations in step, the whole suite (browser tests included)
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## make test-fast: everything but the browser journeys, for quick rounds
test-fast: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadgroup -m "not browser"

## make test-at AT='2028-02-29 23:30:00': the suite with the machine's clock at another moment (Debian's
## faketime, local time in Asia/Ho_Chi_Minh); the tests' own pinned clock must make the date irrelevant.
## Under faketime a two-connection PostgreSQL test's timed wait never ends (its deadline on the faked clock);
## keeping the monotonic clock real (FAKETIME_DONT_FAKE_MONOTONIC=1) breaks subprocess timeouts instead (EINVAL),
## so CI runs this on SQLite, where those two-connection tests skip.
AT ?= 2028-02-29 23:30:00
test-at: $(STAMP)
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	TZ=Asia/Ho_Chi_Minh faketime "$(AT)" $(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make serve: the production way (gunicorn + whitenoise, DEBUG off) on 127.0.0.1:$(PORT).
## Without DJANGO_SECRET_KEY it uses a random key made once into $(SECRET_KEY_FILE) (git-ignored, mode 0600):
## with DJANGO_DEBUG=0 the portal refuses any key that appears in the repository. Plain http on loopback, so no
## SSL redirect.
SECRET_KEY_FILE ?= .secret_key
SERVE_ENV = DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"

$(SECRET_KEY_FILE):
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.partial && mv $@.partial $@

secret-key: $(SECRET_KEY_FILE)

serve: $(STAMP) $(SECRET_KEY_FILE)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	@echo "Mở http://127.0.0.1:$(PORT)  (gunicorn, DJANGO_DEBUG=0; Ctrl+C để dừng)"
	$(SERVE_ENV) $(VENV)/bin/gunicorn tthtcd_portal.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

## make bench: PostgreSQL (DATABASE_URL, default .../tthtcd_bench; --scale nation: .../tthtcd_natscale), gunicorn on loopback; writes docs/performance.md
BENCH_ARGS ?= --scale province --years 10

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || echo "(wrk not installed: Python load generator)"
	$(PY) -m bench.run $(BENCH_ARGS)

## make loadtest: 50 logged-in clients for 60 s over the main pages; fails on any 5xx (issue 9)
loadtest: $(STAMP)
	$(PY) -m bench.run --loadtest $(BENCH_ARGS)

worker: $(STAMP)
	$(PY) manage.py db_worker --queue-name "*"

periodic: $(STAMP)
	$(PY) manage.py run_periodic

messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --no-location --ignore ".venv/*" --ignore "staticfiles/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
