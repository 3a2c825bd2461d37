# The two commands a platform engineer needs: `make demo` and `make test`.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck setup bench docs clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	$(PYTHON) -m pip install --quiet --no-deps -e .
	$(PYTHON) -m tenantctl.provider_loading --compile
	touch $(STAMP)

## The landing zone each example stack would create, and the policy verdict. No cloud needed.
demo: $(STAMP)
	$(VENV)/bin/tenantctl plan --stack acme --stack globex --stack initech
	$(VENV)/bin/tenantctl check --all --no-cache

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy landingzone components mlops_policies tenantctl __main__.py

## Lint, types and the whole suite.
test: $(STAMP) lint typecheck
	$(VENV)/bin/pytest -n 2 -q

## Pinned pack membership and policy index (policy_packs/), then docs/controls.md and each control's README.md.
docs: $(STAMP)
	$(PYTHON) -m mlops_policies.membership
	$(PYTHON) -m mlops_policies.controls_doc

## Figures for bench/RESULTS.md: the gate against checkov (installed into its own .bench-venv), then the fleet.
bench: $(STAMP)
	$(PYTHON) bench/peer.py
	$(PYTHON) bench/run.py

clean:
	rm -rf $(VENV) .bench-venv .pytest_cache .mypy_cache .ruff_cache .tenantctl-cache
