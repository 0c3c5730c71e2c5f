# The commands the README names. Everything installs into .venv; nothing else is needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format serve bench worker messages install clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo province when the database is empty, serve on 127.0.0.1:$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "Mở http://127.0.0.1:$(PORT)  (Ctrl+C để dừng)"
	$(PY) manage.py db_worker --queue-name "*" & WORKER=$$!; \
	trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, migrations in step, the whole suite (browser tests included)
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make serve: the production way (gunicorn + whitenoise, DEBUG off) on 127.0.0.1:$(PORT)
serve: $(STAMP)
	DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 $(PY) manage.py collectstatic --noinput
	DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 $(VENV)/bin/gunicorn tthtcd_portal.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

worker: $(STAMP)
	$(PY) manage.py db_worker --queue-name "*"

messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --no-location --ignore ".venv/*" --ignore "staticfiles/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
