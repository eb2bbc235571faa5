# `make run` and `make test` are the README's two commands; CI calls `make test` unchanged.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test serve bench backup restore

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_dataset dataset/public-record
	$(BIN)/python manage.py setup_roles
	@echo "Admin: create a staff account with '$(BIN)/python manage.py createsuperuser', then open http://$(HOST_PORT)/admin/"
	$(BIN)/python manage.py runserver $(HOST_PORT)

test: $(BIN)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Production-like: DJANGO_DEBUG off (so DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set), gunicorn, whitenoise.
serve: export DJANGO_DEBUG ?= false
serve: $(BIN)/.installed
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c tracker/gunicorn.py tracker.wsgi

# Loads the world and stress datasets into a scratch database beside DATABASE_URL's, measures, drops it.
bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

# Back up the database in DATABASE_URL to backups/; bring one back with `make restore BACKUP=backups/<file>`.
backup: $(BIN)/.installed
	$(BIN)/python manage.py backup

restore: $(BIN)/.installed
	@test -n "$(BACKUP)" || { echo "Name the file: make restore BACKUP=backups/tracker-<time>.dump [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP) $(if $(FORCE),--force)
