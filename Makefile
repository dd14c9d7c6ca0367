# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL_FILE := var/test-postgres.url

.PHONY: run test system venv prompts clean-venv pg-up pg-down asterisk-up asterisk-down

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages (espeak-ng, sox, postgresql, debootstrap, chromium); installed only when root.
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
	HELPLINE_TEST_POSTGRES_URL="$$(cat $(PG_URL_FILE))" $(BIN)/python -m pytest -p no:cacheprovider -ra $(PYTEST_ARGS); \
	  status=$$?; $(MAKE) asterisk-down; $(MAKE) pg-down; exit $$status
