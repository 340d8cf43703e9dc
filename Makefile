# The two commands: `make run` and `make test`. Only Python 3.11 is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint bandit format bench mutation clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV) with $(PYTHON). On Debian/Ubuntu: apt-get install python3.11-venv"; \
		rm -rf $(VENV); exit 1; }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP) ## migrate, load demo data if empty, start web + worker + beat
	./scripts/run.sh

# One test process per core (pytest-xdist); each process has its own test database and
# its own broker queue (tests/conftest.py). TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

test: $(STAMP) ## run the whole test suite (DATABASE_URL / REDIS_URL select real services)
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

bench: $(STAMP) ## scale data in PostgreSQL (BENCH_DATABASE_URL) and timings -> bench/RESULTS.md
	SECRET_KEY=$${SECRET_KEY:-$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
		$(VENV)/bin/python bench/run.py $(BENCH_ARGS)
	@if command -v wrk >/dev/null; then \
		SECRET_KEY=$${SECRET_KEY:-$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
		$(VENV)/bin/python bench/throughput.py; \
	else echo "wrk not found: throughput not measured (apt-get install wrk)"; fi

# Not part of `make test`: every module takes about 3 hours on two cores; MODULE=path
# (e.g. MODULE=rotation/rules.py or MODULE=reports/definitions/) runs one and keeps the
# other rows of docs/mutation.md.
mutation: $(STAMP) ## mutation testing of the rule modules -> docs/mutation.md
	$(VENV)/bin/python scripts/mutation.py $(if $(MODULE),--module $(MODULE)) $(MUTATION_ARGS)

# The settings refuse to load without a strong SECRET_KEY when DEBUG is off; checking
# for missing migrations signs nothing, so a throwaway key does.
lint: $(STAMP) ## ruff, formatting and missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(VENV)/bin/python manage.py makemigrations --check --dry-run

bandit: $(STAMP) ## static security checks of our code: no medium or high finding
	$(VENV)/bin/bandit -q -r accounts config personnel reports rotation -ll

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
