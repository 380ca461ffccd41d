# Two commands on a fresh machine with only Python: `make demo` and `make test`.
# Each creates (or reuses) the virtual environment .venv and installs what it needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_OUT ?= demo_out

.PHONY: demo test lint clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# torch is optional; the local CPU wheel lets the DataLoader test run.
	$(BIN)/python -m pip install --quiet torch==2.13.0 || echo "torch unavailable: DataLoader test will be skipped"
	@# the browser tests of `augment explore` drive Debian's chromium (Playwright cannot fetch its own)
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) \
			|| echo "chromium could not be installed: the explore browser tests will say so"; \
	fi
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh $(DEMO_OUT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_OUT)

bench: $(STAMP)
	for b in images audio synth utility_ocr utility_speech; do $(BIN)/python benchmarks/$$b.py --quick || exit 1; done
