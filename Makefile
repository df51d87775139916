# Two commands do all the set-up on a fresh machine (see README):
#   make run    installs what is missing and starts the tray app on its built-in defaults
#   make test   installs what is missing and runs the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: run test test-desktop lint system-deps clean

run: $(STAMP)
	$(VENV)/bin/movebreak -v

test: $(STAMP) system-deps-test
	$(PY) -m ruff check .
	$(PY) -m pytest

# Only the end-to-end tests on a real (virtual) desktop.
test-desktop: $(STAMP) system-deps-test
	$(PY) -m pytest -m desktop

lint: $(STAMP)
	$(PY) -m ruff check .

system-deps:
	@packaging/system-deps.sh run

system-deps-test:
	@packaging/system-deps.sh test

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[gtk,dev]' || { \
	  echo "movebreak: PyGObject did not build; the tray icon will have no menu (see README, Pitfalls)"; \
	  $(PY) -m pip install --quiet -e '.[dev]'; }
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info
