# The two commands a newcomer needs: `make demo` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes: one per core (pytest-xdist). "load" keeps pytest-django's order in each process: the tests that
# flush the database (transactional) run after the others, which rely on the rows the migrations wrote.
TEST_JOBS ?= auto
RUNSERVER_ARGS ?=

.PHONY: demo test bootstrap serve worker bench clean backup restore

bootstrap:
	@bash scripts/bootstrap.sh

demo: bootstrap
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	@echo "Cổng OCOP: http://$(HOST):$(PORT)/  (dừng bằng Ctrl+C)"
	$(PY) manage.py runserver $(RUNSERVER_ARGS) $(HOST):$(PORT)

test: bootstrap
	$(PY) -m pytest -n $(TEST_JOBS) --dist load $(PYTEST_ARGS)

worker: bootstrap
	.venv/bin/celery -A ocop_portal worker -l info --concurrency 2 --without-mingle --without-gossip

# Sao lưu / khôi phục (README "Sao lưu và khôi phục"): make backup; make restore ARCHIVE=var/backups/ocop-backup-….tar.gz
backup:
	@bash scripts/backup.sh

restore:
	@test -n "$(ARCHIVE)" || { echo "Cách dùng: make restore ARCHIVE=var/backups/ocop-backup-….tar.gz"; exit 2; }
	@bash scripts/restore.sh "$(ARCHIVE)"

bench: bootstrap
	$(PY) bench/run_all.py

clean:
	rm -rf var/db.sqlite3 .pytest_cache
