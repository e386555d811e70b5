# CODI Digital Platform — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
THREADS ?= 4
TASK_WORKERS ?= 1
export PYTHONPATH := src

.PHONY: run test bench drill install install-test deps runtime-deps setup lint test-sqlite test-postgres openapi messages translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test,ldap,s3]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

messages: install
	$(BIN)/python scripts/compile_messages.py

## make run: install, migrate, load areas and demo data, serve on http://127.0.0.1:8000
setup: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py privacy_setup
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_areas
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_projects_demo
	$(BIN)/python manage.py load_correspondence_demo
	$(BIN)/python manage.py reindex_organization_names
	$(BIN)/python manage.py import_statutes --bundled
	$(BIN)/python manage.py import_plan_excerpts
	$(BIN)/python manage.py calendar_holidays --load-public
	$(BIN)/python manage.py load_feedback_demo
	$(BIN)/python manage.py load_finance_demo
	$(BIN)/python manage.py load_procurement_demo
	$(BIN)/python manage.py load_people_demo
	$(BIN)/python manage.py load_training_demo
	$(BIN)/python manage.py load_lending_demo
	$(BIN)/python manage.py load_audit_demo
	$(BIN)/python manage.py load_gis_demo
	$(BIN)/python manage.py load_scoring_demo
	$(BIN)/python manage.py load_knowledge_demo
	$(BIN)/python manage.py publish_open_data --if-missing
	$(BIN)/python manage.py publish_open_data gis-projects-by-province gis-informal-settlements-by-province --if-missing
	$(BIN)/python manage.py load_website_demo
	$(BIN)/python manage.py load_insights_demo
	$(BIN)/python manage.py run_quality_checks --if-none
	$(BIN)/python manage.py pki_init --if-missing
	$(BIN)/python manage.py pki_issue --user demo_director --if-missing
	$(BIN)/python manage.py pki_issue --user demo_officer --if-missing
	$(BIN)/python manage.py pki_issue --user demo_auditor --if-missing
	$(BIN)/python manage.py load_audit_demo  # again, now the auditor can sign: the demo engagement report
	$(BIN)/python manage.py marts_refresh --schedule  # the analytics store's Parquet marts, from the demo data

## Debian packages the product needs at run time (Tesseract with Thai): installed as root, else one line printed
runtime-deps:
	@scripts/install-debian-deps.sh --runtime

run: runtime-deps setup
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) TASK_WORKERS=$(TASK_WORKERS) exec scripts/serve.sh

## make test: Debian packages, lint, types, import contracts, migrations, tests on SQLite and PostgreSQL
deps:
	@scripts/install-debian-deps.sh

lint: install-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_cycles.py
	$(BIN)/python manage.py makemigrations --check --dry-run

# Both runs get a throw-away redis-server (REDIS_URL) for the tests of shared counters.
test-sqlite: install-test messages
	scripts/with-redis.sh $(BIN)/pytest -q

test-postgres: install-test messages
	scripts/with-postgres.sh scripts/with-redis.sh $(BIN)/pytest -q

test: deps lint test-sqlite test-postgres

## make bench: benchmarks, JSON results under bench/results/
bench: install-test messages deps
	scripts/with-redis.sh $(BIN)/python -m bench.run

## make drill: load and failure drill on throw-away PostgreSQL + Redis (not part of make test)
drill: install-test messages deps
	scripts/with-postgres.sh scripts/with-redis.sh $(BIN)/python -m bench.drill

translations: install
	cd src/codi && ../../$(BIN)/python ../../manage.py makemessages -l th --ignore 'migrations/*' --no-obsolete
	$(BIN)/python scripts/thai_translations.py

openapi: install
	$(BIN)/python manage.py export_openapi --output src/codi/api/openapi.json

# The law assistant over the full 671-Act corpus: import it, then embed every section in the background
# (long ones as passages; resumable: run it again to go on; progress in var/law-embed.log).
LAW_ACTS ?= ../shared/data/thai-law/acts
law-full: install
	mkdir -p var
	$(BIN)/python manage.py import_statutes --dir $(LAW_ACTS) --embed none
	nohup nice -n 10 $(BIN)/python manage.py index_status --embed --workers 2 >> var/law-embed.log 2>&1 &
	@echo "embedding in the background: tail -f var/law-embed.log; manage.py index_status shows what is left"

clean:
	rm -rf $(VENV) var
