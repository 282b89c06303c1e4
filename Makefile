# Two commands matter: `make extract` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORPUS ?= corpora
OUT    ?= outputs
ARGS   ?=
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock

.PHONY: extract test eval diff clusters bench models schema validate lock clean help

help:
	@echo "make extract   run the pipeline on CORPUS=$(CORPUS), write OUT=$(OUT)"
	@echo "make test      run the test suite (installs test + NMT extras)"
	@echo "make eval      score OUT against the seed gold (tests/gold/seeds)"
	@echo "make diff      write the meeting diff pages to OUT/diff/"
	@echo "make bench     benchmark at 100 / 1,000 generated documents, en + mixed (~15 min on 2 cores);"
	@echo "               ARGS='--sizes 100,1000,10000' adds ~1 h, '--dask-sizes 1000' Dask, '--baseline DIR' another checkout"
	@echo "make models    fetch + convert OPUS-MT models into models/ (needs network)"

# The virtualenv is created once; the stamps make re-runs skip pip entirely
# unless pyproject.toml or requirements.lock changed.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.core: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.full: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP) -e '.[nmt,dask,test]'
	@touch $@ $(VENV)/.core

extract: $(VENV)/.core
	$(BIN)/commitments extract $(CORPUS) --out $(OUT) $(ARGS)

test: $(VENV)/.full
	$(BIN)/python -m pytest -q $(ARGS)

eval: $(VENV)/.core
	$(BIN)/commitments eval --gold tests/gold/seeds --out $(OUT)

diff: $(VENV)/.core
	$(BIN)/commitments diff --all --out $(OUT)

clusters: $(VENV)/.core
	$(BIN)/commitments clusters --out $(OUT)

schema: $(VENV)/.core
	$(BIN)/commitments schema --out $(OUT)

validate: $(VENV)/.core
	$(BIN)/commitments validate $(OUT)

bench: $(VENV)/.full
	$(BIN)/python scripts/bench.py --out $(OUT) $(ARGS)

models: $(VENV)/.full
	$(BIN)/python scripts/fetch_models.py --models-dir models

# Regenerate the transitive pins after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[nmt,dask,test]'
	$(BIN)/python -m pip freeze --exclude-editable | sed -e 's/+cpu$$//' > requirements.lock

clean:
	rm -rf $(VENV) .cache
