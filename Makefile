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
test-tree:
	@echo "==> Copying the working tree to $(TEST_TREE)"
	rm -rf $(TEST_TREE)
	mkdir -p $(TEST_TREE)
	git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(TEST_TREE)
	git -C $(TEST_TREE) init --quiet

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
	@echo "==> End-to-end tests against the installed collection"
	@test -d tests/e2e || { echo "tests/e2e is missing: no end-to-end tests to run" >&2; exit 1; }
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  python -m pytest tests/e2e -q -n $(E2E_WORKERS)

# The example playbook run twice (changed, then unchanged): against the simulator, or the real
# cloud when HW_ACCESS_KEY or HW_AUTH_TOKEN is set (tools/demo.py).
.PHONY: demo
demo: install
	@echo "==> Demo: examples/notebook_update.yml"
	ANSIBLE_COLLECTIONS_PATH=$(INSTALL_DIR) python tools/demo.py

# Everything CI runs.
test: sanity units e2e

clean:
	rm -rf $(BUILD_DIR) tests/output .pytest_cache

distclean: clean
	rm -rf $(VENV)
