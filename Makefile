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
# (compile, import) on each of SANITY_EXTRA_PYTHONS that the machine has.
SANITY_PYTHON ?= 3.11
SANITY_EXTRA_PYTHONS ?= 3.12 3.13
UNITS_PYTHON ?= 3.11
ANSIBLE_TEST_FLAGS ?=
E2E_WORKERS ?= 2

# ansible-test bootstraps pip in its virtual environments with a get-pip script it
# downloads from a host that is not always reachable; supply an offline one.
GET_PIP_CACHE := $(HOME)/.ansible/test/cache

.PHONY: venv build install test-tree get-pip sanity units e2e test clean distclean

venv: $(VENV_STAMP)

$(VENV_STAMP): tests/requirements.txt
	@echo "==> Setting up $(VENV) with $(PYTHON)"
	test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --upgrade --quiet pip
	$(VENV_BIN)/python -m pip install --quiet -r tests/requirements.txt
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
	  (set -x; cd $(TEST_TREE) && ansible-test sanity --requirements --python $$version --python-interpreter $$interpreter \
	    --test compile --test import $(ANSIBLE_TEST_FLAGS)); \
	done

units: venv get-pip test-tree
	@echo "==> ansible-test units on Python $(UNITS_PYTHON)"
	cd $(TEST_TREE) && ansible-test units --venv --requirements --python $(UNITS_PYTHON) $(ANSIBLE_TEST_FLAGS)

e2e: install
	@echo "==> End-to-end tests against the installed collection, and the simulator's own tests"
	@test -d tests/e2e || { echo "tests/e2e is missing: no end-to-end tests to run" >&2; exit 1; }
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  python -m pytest tests/e2e tests/simulator -q -n $(E2E_WORKERS)

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

# Fault sweep of notebook_instance against the simulator (tests/faults/sweep.py): seeded scenarios with
# faults injected, the invariants checked after each; every FAULTS_PLAYBOOK-th scenario runs through
# ansible-playbook. Figures are printed and written to build/faults/. faults-ci, the first
# FAULTS_CI_SCENARIOS of the same seed, is the reduced sweep that test runs.
FAULTS_SEED ?= 20260401
FAULTS_SCENARIOS ?= 360
FAULTS_PLAYBOOK ?= 50
FAULTS_CI_SCENARIOS ?= 36
FAULTS_CI_PLAYBOOK ?= 20
.PHONY: faults faults-ci
faults: install
	@echo "==> Fault sweep: $(FAULTS_SCENARIOS) scenarios, seed $(FAULTS_SEED)"
	python tests/faults/sweep.py --scenarios $(FAULTS_SCENARIOS) --seed $(FAULTS_SEED) --playbook $(FAULTS_PLAYBOOK) \
	  --collections-path $(INSTALL_DIR) --report $(BUILD_DIR)/faults/sweep.json

faults-ci: install
	@echo "==> Reduced fault sweep: $(FAULTS_CI_SCENARIOS) scenarios, seed $(FAULTS_SEED)"
	python tests/faults/sweep.py --scenarios $(FAULTS_CI_SCENARIOS) --seed $(FAULTS_SEED) --playbook $(FAULTS_CI_PLAYBOOK) \
	  --collections-path $(INSTALL_DIR) --report $(BUILD_DIR)/faults/sweep-ci.json

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

.PHONY: tools-venv tools-collection docs docs-check lint ecosystem

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

docs-check: tools-venv tools-collection
	@echo "==> Checking that $(DOCS_REFERENCE) is what 'make docs' generates"
	rm -rf $(BUILD_DIR)/docs-check && mkdir -p $(BUILD_DIR)/docs-check && chmod go-w $(BUILD_DIR)/docs-check
	$(TOOLS_ENV) antsibull-docs collection $(ANTSIBULL_DOCS_FLAGS) --dest-dir $(BUILD_DIR)/docs-check $(NAMESPACE).$(NAME)
	diff -ru $(DOCS_REFERENCE) $(BUILD_DIR)/docs-check || { echo "==> $(DOCS_REFERENCE) is out of date: run 'make docs' and commit it"; exit 1; }

lint: tools-venv tools-collection
	@echo "==> ansible-lint (production profile) on the role and the example playbooks"
	$(TOOLS_ENV) ansible-lint roles examples
	@echo "==> antsibull-docs lint-collection-docs"
	$(TOOLS_ENV) antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all --disallow-unknown-collection-refs .
	@echo "==> antsibull-changelog lint"
	$(TOOLS_ENV) antsibull-changelog lint
	$(TOOLS_ENV) antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	@echo "==> Action group 'all'"
	$(TOOLS_BIN)/python tools/check_action_group.py

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

# Everything CI runs.
test: sanity units e2e faults-ci lint docs-check ecosystem

clean:
	rm -rf $(BUILD_DIR) tests/output .pytest_cache

distclean: clean
	rm -rf $(VENV)
