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
	@echo "make extract   run the pipeline on CORPUS=$(CORPUS), write OUT=$(OUT) (ARGS= passes options, e.g. ARGS=-q)"
	@echo "make test      run the test suite (installs test + NMT extras)"
	@echo "make eval      score OUT against the seed gold (tests/gold/seeds)"
	@echo "make diff      write the meeting diff pages to OUT/diff/"
	@echo "make clusters  list the meetings of OUT in the terminal"
	@echo "make schema    write the JSON Schemas of the outputs into OUT/schema/"
	@echo "make validate  check every record in OUT against those schemas"
	@echo "make bench     benchmark at 100 / 1,000 generated documents, en + mixed (~11 min on 2 cores);"
	@echo "               ARGS='--sizes 100,1000,10000' adds ~1 h, '--dask-sizes 1000' Dask, '--baseline DIR' another checkout"
	@echo "make models    fetch + convert OPUS-MT models into models/ (needs network)"
	@echo "make lock      regenerate requirements.lock after changing pyproject.toml"
	@echo "make clean     remove the virtualenv and the cache (.cache/)"
	@echo "make help      this list"

# The virtualenv is created once; the stamps make re-runs skip pip entirely
# unless pyproject.toml or requirements.lock changed.
# pip 24 or later: older pip warns "lxml ... does not provide the extra 'html_clean'" (jusText, a
# dependency of trafilatura, asks for lxml[html_clean]; lxml names the extra html-clean, and only newer pip
# treats the two spellings as one). lxml_html_clean itself is pinned in pyproject.toml.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "pip>=24" \
	  || echo "note: pip could not be upgraded; an older pip warns about lxml's html_clean extra (harmless)"

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
