# `make run` and `make test` are the README's two commands; CI calls `make test` unchanged.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test lint migrations-check

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_sample_data
	$(BIN)/python manage.py setup_roles
	@echo "Admin: create a staff account with '$(BIN)/python manage.py createsuperuser', then open http://$(HOST_PORT)/admin/"
	$(BIN)/python manage.py runserver $(HOST_PORT)

test: $(BIN)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)
