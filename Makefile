# The two commands a newcomer needs: `make run` and `make test`; `make check` is the quick inner loop.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL_FILE := var/test-postgres.url

.PHONY: run test check system venv prompts clean-venv pg-up pg-down asterisk-up asterisk-down

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages (espeak-ng, sox, postgresql, debootstrap, chromium, sip-tester); installed only when root.
system:
	bash scripts/install-system-packages.sh

run: system venv
	$(BIN)/helpline db upgrade
	$(BIN)/helpline seed --demo
	$(BIN)/helpline prompts build
	$(BIN)/helpline serve

pg-up:
	bash scripts/test-postgres.sh start > $(PG_URL_FILE).tmp && mv $(PG_URL_FILE).tmp $(PG_URL_FILE)

pg-down:
	bash scripts/test-postgres.sh stop

asterisk-up: venv
	$(BIN)/helpline asterisk up

asterisk-down:
	-$(BIN)/helpline asterisk down

test: system venv
	mkdir -p var
	$(MAKE) pg-up
	$(MAKE) asterisk-up
	$(BIN)/helpline prompts build
	$(BIN)/python -m scripts.local_asterisk.log_check mark
	HELPLINE_TEST_POSTGRES_URL="$$(cat $(PG_URL_FILE))" $(BIN)/python -m pytest -p no:cacheprovider -ra $(PYTEST_ARGS); \
	  status=$$?; $(BIN)/python -m scripts.local_asterisk.log_check check || status=1; \
	  $(MAKE) asterisk-down; $(MAKE) pg-down; exit $$status

# The unit tier: SQLite only, no root, no Asterisk, no PostgreSQL, no browser; under a minute.
CHECK_MARKS := not asterisk and not postgres and not browser and not slow
check: venv
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -p no:cacheprovider -q -m "$(CHECK_MARKS)" $(PYTEST_ARGS)
