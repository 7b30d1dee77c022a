# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := $(CURDIR)/.tools

export PATH := $(TOOLS)/bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export PULUMI_HOME := $(TOOLS)/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK := false

.PHONY: setup engine test lint demo bench dist docs clean pulumi-range mutate

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

engine: $(VENV)/.installed
	tools/install-engine.sh

setup: $(VENV)/.installed engine

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup lint
	$(PY) -m pytest -q $(PYTEST_ARGS)

demo: setup
	$(PY) tools/demo.py

bench: setup
	$(PY) tools/bench.py

# The lowest and the highest pulumi SDK that pyproject allows (tests/test_dependencies.py keeps
# the two in step): each in a fresh virtualenv with the dev extra, running the provider-level
# tests, the pickling workaround among them (engine/resource.py). A few minutes: not in `test`.
PULUMI_RANGE ?= 3.216.0 3.272.0
pulumi-range:
	@for v in $(PULUMI_RANGE); do \
	  venv="$$(mktemp -d)/venv"; echo "pulumi-range: pulumi $$v in $$venv"; \
	  $(PYTHON) -m venv "$$venv" && \
	  "$$venv/bin/python" -m pip install --quiet "pulumi==$$v" -e '.[dev]' && \
	  "$$venv/bin/python" -m pytest -q -p no:cacheprovider tests/types tests/reliability/test_pickler.py \
	    tests/reliability/test_ambiguous_creates.py tests/test_dependencies.py || exit 1; \
	  rm -rf "$$(dirname "$$venv")"; \
	done

# The wheel and sdist in $(DIST). `build` is a release tool, installed on first use. Byte-code
# writing is left on: with PYTHONDONTWRITEBYTECODE set, setuptools warns that it skips it.
DIST ?= dist
dist: $(VENV)/.installed
	$(PY) -m pip install --quiet 'build>=1.2'
	rm -rf $(DIST)
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m build --outdir $(DIST) .

# The reference pages in docs/reference, generated from the type models and the bundled spec.
docs: $(VENV)/.installed
	$(PY) -m tools.gen_docs

# Mutation testing of the engine, client, connection and type files against the engine-free
# tests (tools/mutate.py): writes MUTATION.md. Tens of minutes: not in `test`.
MUTATE_ARGS ?= --jobs 2
mutate: $(VENV)/.installed
	$(PY) tools/mutate.py $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) .tools .pulumi-state dist build
