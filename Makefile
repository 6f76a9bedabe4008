# Development, build and test tasks for the hwcloud.modelarts collection.
# Every target sets up what it needs: a machine with Python 3.11 and access to
# the package index is enough.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3.11
VENV := $(CURDIR)/.venv
VENV_BIN := $(VENV)/bin
# Re-install whenever the requirements file is newer than this stamp.
VENV_STAMP := $(VENV)/.requirements-installed
export PATH := $(VENV_BIN):$(PATH)

NAMESPACE := hwcloud
NAME := modelarts
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
BUILD_DIR := $(CURDIR)/build
TARBALL := $(BUILD_DIR)/$(NAMESPACE)-$(NAME)-$(VERSION).tar.gz
INSTALL_DIR := $(BUILD_DIR)/collections
# ansible-test only runs inside a tree ending in ansible_collections/<namespace>/<name>.
TEST_TREE := $(BUILD_DIR)/ansible_collections/$(NAMESPACE)/$(NAME)

# Sanity runs every test on SANITY_PYTHON, then the version-specific ones
# (compile, import) on each of SANITY_EXTRA_PYTHONS that the machine has. Each of these is also
# linked as python<version> in build/python-bin, first on PATH: older ansible-test versions look it
# up there too, where pyenv may have only a shim that does not run it.
SANITY_PYTHON ?= 3.11
SANITY_EXTRA_PYTHONS ?= 3.8 3.12 3.13
UNITS_PYTHON ?= 3.11
INTEGRATION_PYTHON ?= 3.11
ANSIBLE_TEST_FLAGS ?=
E2E_WORKERS ?= 2

# ansible-test bootstraps pip in its virtual environments with a get-pip script it
# downloads from a host that is not always reachable; supply an offline one.
GET_PIP_CACHE := $(HOME)/.ansible/test/cache

.PHONY: venv build install test-tree get-pip sanity units integration e2e test clean distclean

venv: $(VENV_STAMP)

# ANSIBLE_CORE, when set, replaces the ansible-core requirement of tests/requirements.txt (make matrix sets it).
ANSIBLE_CORE ?=
$(VENV_STAMP): tests/requirements.txt
	@echo "==> Setting up $(VENV) with $(PYTHON)"
	test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --upgrade --quiet pip
	sed '$(if $(ANSIBLE_CORE),s/^ansible-core[^#]*/$(ANSIBLE_CORE)/)' tests/requirements.txt > $(VENV)/requirements.txt
	$(VENV_BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

build: venv
	@echo "==> Building $(TARBALL)"
	mkdir -p $(BUILD_DIR)
	ansible-galaxy collection build --force --output-path $(BUILD_DIR) .

install: build
	@echo "==> Installing $(NAMESPACE).$(NAME) into $(INSTALL_DIR)"
	rm -rf $(INSTALL_DIR)
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) ansible-galaxy collection install --offline --force -p $(INSTALL_DIR) $(TARBALL)

# A fresh copy of the working tree (tracked and new, not ignored files) for ansible-test.
# The copy gets a repository of its own: inside this one, build/ is ignored and
# ansible-test, which lists files through git, would find nothing to test.
# The venv that units --venv makes in the copy is kept across copies, so that a rerun
# only checks its requirements instead of building it again.
DELEGATION := tests/output/.tmp/delegation
test-tree:
	@echo "==> Copying the working tree to $(TEST_TREE)"
	rm -rf $(BUILD_DIR)/delegation
	if [ -d $(TEST_TREE)/$(DELEGATION) ]; then mv $(TEST_TREE)/$(DELEGATION) $(BUILD_DIR)/delegation; fi
	rm -rf $(TEST_TREE)
	mkdir -p $(TEST_TREE)
	git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(TEST_TREE)
	git -C $(TEST_TREE) init --quiet
	if [ -d $(BUILD_DIR)/delegation ]; then mkdir -p $(TEST_TREE)/$(dir $(DELEGATION)) && mv $(BUILD_DIR)/delegation $(TEST_TREE)/$(DELEGATION); fi

get-pip: venv
	@for version in $$(python -c 'import types; from ansible_test._internal.python_requirements import get_venv_packages; \
	    print(" ".join(sorted({get_venv_packages(types.SimpleNamespace(version=v))["pip"] for v in "$(SANITY_PYTHON) $(SANITY_EXTRA_PYTHONS) $(UNITS_PYTHON)".split()})))'); do \
	  echo "==> Providing $(GET_PIP_CACHE)/get_pip_$${version//./_}.py"; \
	  install -D -m 0644 tools/get_pip.py $(GET_PIP_CACHE)/get_pip_$${version//./_}.py; \
	done

sanity: venv get-pip test-tree
	@echo "==> ansible-test sanity on Python $(SANITY_PYTHON)"
	cd $(TEST_TREE) && ansible-test sanity --requirements --python $(SANITY_PYTHON) $(ANSIBLE_TEST_FLAGS)
	@for version in $(SANITY_EXTRA_PYTHONS); do \
	  interpreter=; \
	  for candidate in "$$(command -v python$$version)" $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$version.*/bin/python$$version; do \
	    if [ -x "$$candidate" ] && "$$candidate" -c '' 2>/dev/null; then interpreter=$$candidate; break; fi; \
	  done; \
	  if [ -z "$$interpreter" ]; then echo "==> No Python $$version on this machine: its compile and import tests are skipped"; continue; fi; \
	  echo "==> ansible-test sanity (compile, import) on Python $$version ($$interpreter)"; \
	  mkdir -p $(BUILD_DIR)/python-bin && ln -sfn "$$interpreter" $(BUILD_DIR)/python-bin/python$$version; \
	  (set -x; cd $(TEST_TREE) && PATH=$(BUILD_DIR)/python-bin:$$PATH \
	    ansible-test sanity --requirements --python $$version --python-interpreter $$interpreter \
	    --test compile --test import $(ANSIBLE_TEST_FLAGS)); \
	done

units: venv get-pip test-tree
	@echo "==> ansible-test units on Python $(UNITS_PYTHON)"
	cd $(TEST_TREE) && ansible-test units --venv --requirements --python $(UNITS_PYTHON) $(ANSIBLE_TEST_FLAGS)

# The targets of tests/integration run with ansible-test in the local environment: .venv holds exactly
# what they need (ansible-core and requests) and they start the bundled simulator themselves
# (setup_simulator). With HW_ACCESS_KEY or HW_AUTH_TOKEN set, they run against the real service instead,
# creating the notebooks they need and deleting them at the end (tests/integration/README.md).
INTEGRATION_CONFIG := $(TEST_TREE)/tests/integration/integration_config.yml
integration: venv test-tree
	@if [ -n "$${HW_ACCESS_KEY:-}$${HW_AUTH_TOKEN:-}" ]; then python tools/integration_config.py $(INTEGRATION_CONFIG); \
	  else echo "==> Integration tests against the bundled simulator"; fi
	@# The credentials in integration_config.yml are removed whatever the outcome.
	status=0; (cd $(TEST_TREE) && ansible-test integration --python $(INTEGRATION_PYTHON) $(ANSIBLE_TEST_FLAGS)) || status=$$?; \
	  rm -f $(INTEGRATION_CONFIG); exit $$status

e2e: install
	@echo "==> End-to-end tests against the installed collection, and the simulator's own tests"
	@test -d tests/e2e || { echo "tests/e2e is missing: no end-to-end tests to run" >&2; exit 1; }
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  python -m pytest tests/e2e tests/simulator -q -n $(E2E_WORKERS)

# The end-to-end tests marked smoke (tests/pytest.ini): the few that make matrix runs on every ansible-core.
.PHONY: smoke
smoke: install
	@echo "==> Smoke end-to-end tests against the collection built and installed by ansible-core $$(python -c 'import ansible; print(ansible.__version__)')"
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  python -m pytest tests/e2e -q -m smoke -n $(E2E_WORKERS) -p no:cacheprovider

# The example playbook run twice (changed, then unchanged): against the simulator, or the real
# cloud when HW_ACCESS_KEY or HW_AUTH_TOKEN is set (tools/demo.py).
.PHONY: demo
demo: install
	@echo "==> Demo: examples/notebook_update.yml"
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) python tools/demo.py

# Benchmarks against the simulator on loopback: a few minutes, so not part of test.
# Iteration counts are BENCH_* environment variables (see benchmarks/README.md).
.PHONY: bench
bench: install
	@echo "==> Benchmarks (table also written to benchmarks/results.md)"
	python -m pip install --quiet -r benchmarks/requirements.txt
	python benchmarks/bench.py

# Fault sweep of notebook_instance against the simulator (tests/faults/sweep.py, tests/faults/README.md): seeded
# scenarios with faults injected, the invariants checked after each; every FAULTS_PLAYBOOK-th scenario runs
# through ansible-playbook. Figures are printed and written to build/faults/, and by faults (not faults-ci)
# into docs/reliability.md. faults-ci, the first FAULTS_CI_SCENARIOS of the same seed, is the reduced sweep
# that test runs.
FAULTS_SEED ?= 20260401
FAULTS_SCENARIOS ?= 360
FAULTS_PLAYBOOK ?= 50
FAULTS_CI_SCENARIOS ?= 36
FAULTS_CI_PLAYBOOK ?= 20
.PHONY: faults faults-ci
faults: install
	@echo "==> Fault sweep: $(FAULTS_SCENARIOS) scenarios, seed $(FAULTS_SEED)"
	python tests/faults/sweep.py --scenarios $(FAULTS_SCENARIOS) --seed $(FAULTS_SEED) --playbook $(FAULTS_PLAYBOOK) \
	  --collections-path $(INSTALL_DIR) --report $(BUILD_DIR)/faults/sweep.json --docs $(CURDIR)/docs/reliability.md

faults-ci: install
	@echo "==> Reduced fault sweep: $(FAULTS_CI_SCENARIOS) scenarios, seed $(FAULTS_SEED)"
	python tests/faults/sweep.py --scenarios $(FAULTS_CI_SCENARIOS) --seed $(FAULTS_SEED) --playbook $(FAULTS_CI_PLAYBOOK) \
	  --collections-path $(INSTALL_DIR) --report $(BUILD_DIR)/faults/sweep-ci.json

# The tests of the sweep's and the benchmarks' own code, and of tools/doc_sections.py that both write the docs with.
.PHONY: harness-tests
harness-tests: venv
	@echo "==> Tests of the fault sweep's and the benchmarks' own code"
	python -m pytest tests/faults benchmarks -q -p no:cacheprovider

# ---- Collection tooling: lint, generated docs, changelog, AWX, execution environment, importer ----
# The tools live in .venv-tools, apart from .venv, so their dependencies never change what the
# tests run with. They look the collection up by name: TOOLS_COLLECTIONS maps
# ansible_collections/hwcloud/modelarts to this working tree, and ANSIBLE_HOME keeps what they
# install and cache inside build/.
TOOLS_VENV := $(CURDIR)/.venv-tools
TOOLS_BIN := $(TOOLS_VENV)/bin
TOOLS_STAMP := $(TOOLS_VENV)/.requirements-installed
TOOLS_COLLECTIONS := $(BUILD_DIR)/tools-collections
TOOLS_ENV := PATH=$(TOOLS_BIN):$$PATH ANSIBLE_HOME=$(BUILD_DIR)/tools-ansible-home \
  ANSIBLE_COLLECTIONS_PATH=$(TOOLS_COLLECTIONS) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
DOCS_REFERENCE := docs/reference
ANTSIBULL_DOCS_FLAGS := --use-current --squash-hierarchy --output-format simplified-rst \
  --no-add-antsibull-docs-version --fail-on-error --cleanup everything

.PHONY: tools-venv tools-collection docs docs-check lint format ecosystem

tools-venv: $(TOOLS_STAMP)

$(TOOLS_STAMP): tests/tools-requirements.txt
	@echo "==> Setting up $(TOOLS_VENV) with $(PYTHON)"
	test -x $(TOOLS_BIN)/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_BIN)/python -m pip install --upgrade --quiet pip
	$(TOOLS_BIN)/python -m pip install --quiet -r tests/tools-requirements.txt
	touch $@

tools-collection:
	mkdir -p $(TOOLS_COLLECTIONS)/ansible_collections/$(NAMESPACE)
	ln -sfn $(CURDIR) $(TOOLS_COLLECTIONS)/ansible_collections/$(NAMESPACE)/$(NAME)

# The module and role reference in docs/reference, generated from the plugins' own documentation.
docs: tools-venv tools-collection
	@echo "==> Generating $(DOCS_REFERENCE) with antsibull-docs"
	mkdir -p $(DOCS_REFERENCE) && chmod go-w $(DOCS_REFERENCE)
	$(TOOLS_ENV) antsibull-docs collection $(ANTSIBULL_DOCS_FLAGS) --dest-dir $(DOCS_REFERENCE) $(NAMESPACE).$(NAME)

docs-check: tools-venv tools-collection docsite
	@echo "==> Checking that $(DOCS_REFERENCE) is what 'make docs' generates"
	rm -rf $(BUILD_DIR)/docs-check && mkdir -p $(BUILD_DIR)/docs-check && chmod go-w $(BUILD_DIR)/docs-check
	$(TOOLS_ENV) antsibull-docs collection $(ANTSIBULL_DOCS_FLAGS) --dest-dir $(BUILD_DIR)/docs-check $(NAMESPACE).$(NAME)
	diff -ru $(DOCS_REFERENCE) $(BUILD_DIR)/docs-check || { echo "==> $(DOCS_REFERENCE) is out of date: run 'make docs' and commit it"; exit 1; }

# The HTML docsite in build/docsite: Sphinx with the Ansible theme (tools/docsite/conf.py) over a staged source
# tree, build/docsite-src: the guides of docs/ as they are (docs/README.md as the home page, index.md), and in
# reference/ the pages antsibull-docs writes from the plugins' own documentation (in the format of its
# sphinx-init, not the simplified one of docs/reference, under the same names, so the guides' links to
# reference/*.rst lead to them). Warnings are errors, so make docs-check, which runs it, fails on any.
DOCSITE_SRC := $(BUILD_DIR)/docsite-src
DOCSITE_DIR := $(BUILD_DIR)/docsite
.PHONY: docsite
docsite: tools-venv tools-collection
	@echo "==> Building the docsite into $(DOCSITE_DIR)"
	rm -rf $(DOCSITE_SRC) $(DOCSITE_DIR) && mkdir -p $(DOCSITE_SRC)
	tar -C docs --exclude=./reference -cf - . | tar -C $(DOCSITE_SRC) -xf -
	mv $(DOCSITE_SRC)/README.md $(DOCSITE_SRC)/index.md
	mkdir -p $(DOCSITE_SRC)/reference && chmod go-w $(DOCSITE_SRC)/reference
	$(TOOLS_ENV) antsibull-docs collection --use-current --squash-hierarchy --fail-on-error --cleanup everything \
	  --dest-dir $(DOCSITE_SRC)/reference $(NAMESPACE).$(NAME)
	$(TOOLS_ENV) sphinx-build -b html -c tools/docsite -W --keep-going -q $(DOCSITE_SRC) $(DOCSITE_DIR)
	@echo "==> Docsite: $(DOCSITE_DIR)/index.html"

lint: tools-venv tools-collection
	@echo "==> ruff: formatting and import order (make format applies them)"
	$(TOOLS_BIN)/ruff format --check --diff .
	$(TOOLS_BIN)/ruff check .
	@echo "==> ansible-lint (production profile) on the role and the example playbooks"
	$(TOOLS_ENV) ansible-lint roles examples
	@echo "==> antsibull-docs lint-collection-docs"
	$(TOOLS_ENV) antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all --disallow-unknown-collection-refs .
	@echo "==> antsibull-changelog lint"
	$(TOOLS_ENV) antsibull-changelog lint
	$(TOOLS_ENV) antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	@echo "==> Action group 'all'"
	$(TOOLS_BIN)/python tools/check_action_group.py

# Formatting and import order of the Python code (pyproject.toml), as make lint checks them.
format: tools-venv
	$(TOOLS_BIN)/ruff check --fix --select I .
	$(TOOLS_BIN)/ruff format .

# What Galaxy and ansible-builder make of the collection.
ecosystem: tools-venv tools-collection build
	@echo "==> ansible-builder: the collection's dependencies and an execution environment build context"
	$(TOOLS_ENV) ansible-builder introspect $(TOOLS_COLLECTIONS) | tee $(BUILD_DIR)/ee-introspect.txt
	grep -q "requests.*from collection $(NAMESPACE).$(NAME)" $(BUILD_DIR)/ee-introspect.txt
	rm -rf $(BUILD_DIR)/ee-context
	$(TOOLS_ENV) ansible-builder create -f examples/execution-environment.yml -c $(BUILD_DIR)/ee-context
	grep -q "$(NAMESPACE).$(NAME)" $(BUILD_DIR)/ee-context/_build/requirements.yml
	@echo "==> galaxy-importer on $(TARBALL)"
	cd $(BUILD_DIR) && $(TOOLS_ENV) GALAXY_IMPORTER_CONFIG=$(CURDIR)/tools/galaxy-importer.cfg \
	  ANSIBLE_LOCAL_TEMP=$(BUILD_DIR)/tools-ansible-home/tmp \
	  $(TOOLS_BIN)/python -m galaxy_importer.main $(TARBALL) 2>&1 | tee $(BUILD_DIR)/galaxy-importer.log
	! grep -E "^(ERROR|WARNING)" $(BUILD_DIR)/galaxy-importer.log

# ---- Version matrix: every ansible-core that meta/runtime.yml claims ----
# Each version gets its own virtual environment, .venv-matrix/<version>, built from the package index
# with tests/requirements.txt and that ansible-core, and its own build directory, build/matrix/<version>
# (tarball, installed collection, ansible-test tree). In them, each of MATRIX_SUITES runs as the target
# of the same name: sanity (that version's rules, on its controller Python, then compile and import on
# the oldest Python of tests/config.yml that the version supports), units, and smoke (the smoke end-to-end
# tests through that version's ansible-playbook). Any target of this Makefile can be a suite.
# make matrix MATRIX_VERSIONS=2.17 runs one version; make matrix-2.17-units one suite of it.
MATRIX_VERSIONS ?= 2.16 2.17 2.18 2.19 2.20
MATRIX_SUITES ?= sanity units smoke
MATRIX_VENVS := $(CURDIR)/.venv-matrix
# Controller Python of each version (2.20 needs 3.12 or later) and its oldest module Python.
MATRIX_PYTHON_2.16 ?= 3.11
MATRIX_PYTHON_2.17 ?= 3.11
MATRIX_PYTHON_2.18 ?= 3.11
MATRIX_PYTHON_2.19 ?= 3.11
MATRIX_PYTHON_2.20 ?= 3.12
MATRIX_TARGET_PYTHON_2.16 ?= 3.8
MATRIX_TARGET_PYTHON_2.17 ?= 3.8
MATRIX_TARGET_PYTHON_2.18 ?= 3.8
MATRIX_TARGET_PYTHON_2.19 ?= 3.8
MATRIX_TARGET_PYTHON_2.20 ?= 3.9
MATRIX_TARGETS := $(foreach version,$(MATRIX_VERSIONS),$(foreach suite,$(MATRIX_SUITES),matrix-$(version)-$(suite)))
# In a recipe of matrix-<version>-<suite>: the version and the suite.
matrix_version = $(firstword $(subst -, ,$*))
matrix_suite = $(patsubst $(matrix_version)-%,%,$*)

# The interpreter of the first python<version> on PATH or in pyenv that runs (pyenv has shims for versions
# it does not run), outside any virtual environment.
find_python = for candidate in "$$(command -v python$(1))" $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(1).*/bin/python$(1); do \
  if [ -x "$$candidate" ] && "$$candidate" -c '' 2>/dev/null; then \
    "$$candidate" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))'; break; fi; done

# Not .PHONY: make applies no pattern rule to a phony target (and no file has these names).
.PHONY: matrix
matrix: $(MATRIX_TARGETS)
	@echo "==> Version matrix passed (seconds per suite):"
	@cd $(BUILD_DIR)/matrix && for version in $(MATRIX_VERSIONS); do \
	  total=0; line=; \
	  for suite in $(MATRIX_SUITES); do seconds=$$(cat $$version/$$suite.seconds); total=$$((total + seconds)); line="$$line $$suite $$seconds,"; done; \
	  echo "    ansible-core $$(cat $$version/ansible-core.version) on Python $$(cat $$version/python.version):$$line total $$total"; \
	done

matrix-%:
	@version=$(matrix_version); suite=$(matrix_suite); python=$(MATRIX_PYTHON_$(matrix_version)); \
	if [ -z "$$python" ]; then echo "==> ansible-core $$version has no controller Python: set MATRIX_PYTHON_$$version" >&2; exit 1; fi; \
	interpreter=$$($(call find_python,$(MATRIX_PYTHON_$(matrix_version)))); \
	if [ -z "$$interpreter" ]; then echo "==> No Python $$python on this machine for ansible-core $$version" >&2; exit 1; fi; \
	echo "==> ansible-core $$version on Python $$python ($$interpreter): $$suite"; \
	mkdir -p $(BUILD_DIR)/matrix/$$version; rm -f $(BUILD_DIR)/matrix/$$version/$$suite.seconds; \
	start=$$SECONDS; \
	$(MAKE) --no-print-directory $$suite VENV=$(MATRIX_VENVS)/$$version PYTHON=$$interpreter ANSIBLE_CORE="ansible-core~=$$version.0" \
	  BUILD_DIR=$(BUILD_DIR)/matrix/$$version SANITY_PYTHON=$$python UNITS_PYTHON=$$python \
	  SANITY_EXTRA_PYTHONS="$(MATRIX_TARGET_PYTHON_$(matrix_version))" \
	  || { echo "==> ansible-core $$version: $$suite FAILED after $$((SECONDS - start)) s" >&2; exit 1; }; \
	echo $$((SECONDS - start)) > $(BUILD_DIR)/matrix/$$version/$$suite.seconds; \
	$(MATRIX_VENVS)/$$version/bin/python -c 'import ansible, platform; print(ansible.__version__); print(platform.python_version())' \
	  | { read -r core; read -r py; echo "$$core" > $(BUILD_DIR)/matrix/$$version/ansible-core.version; echo "$$py" > $(BUILD_DIR)/matrix/$$version/python.version; }; \
	echo "==> ansible-core $$version: $$suite passed in $$((SECONDS - start)) s"

# CI runs the matrix on every version but .venv's, on which sanity, units and e2e run in full.
VENV_ANSIBLE_CORE := $(shell sed -n 's/^ansible-core>=\([0-9]*\.[0-9]*\).*/\1/p' tests/requirements.txt)
MATRIX_CI_VERSIONS ?= $(filter-out $(VENV_ANSIBLE_CORE),$(MATRIX_VERSIONS))
.PHONY: matrix-ci
matrix-ci:
	$(MAKE) --no-print-directory matrix MATRIX_VERSIONS="$(MATRIX_CI_VERSIONS)"

# Everything CI runs.
test: sanity units integration e2e faults-ci harness-tests lint docs-check ecosystem matrix-ci

clean:
	rm -rf $(BUILD_DIR) tests/output .pytest_cache

distclean: clean
	rm -rf $(VENV) $(MATRIX_VENVS)
