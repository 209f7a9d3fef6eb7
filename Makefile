# The two commands a newcomer needs: `make dashboard` and `make test`.
# Both build .venv from the hash-pinned lock file on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: dashboard test lint browser postgres lock data bench

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

dashboard: $(INSTALLED)
	$(PY) -m streamlit run dashboard.py --server.headless true

test: $(INSTALLED) browser postgres
	$(PY) -m ruff check .
	$(PY) -m pytest -rs

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Browser tests drive Debian's Chromium; a CJK font makes screenshots legible.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (run as root to install)"; fi; }

# The store's tests run on PostgreSQL too: a throwaway server from Debian's package.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL server missing: postgres tests will be skipped (run as root to install)"; fi; }

lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

data: $(INSTALLED)
	$(PY) -m extract seeds -o data/claims.csv

bench: $(INSTALLED)
	PYTHONPATH=. $(PY) bench/bench_extract.py
