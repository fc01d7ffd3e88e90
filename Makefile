# Two commands for a newcomer: `make demo` (install + run the example) and `make test` (install + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch first, CPU build: an unpinned torch would pull a multi-GB CUDA build. Outside this
# workplace, set TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu to get the CPU wheel.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX_URL ?=
DEMO_DATA ?= .demo-data

.PHONY: install demo test bench-quality bench-speed clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)" $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL))
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: install
	LUOSHI_DATA_DIR=$(DEMO_DATA) $(BIN)/luoshi ingest examples/county-plenary-speech-p2.txt
	LUOSHI_DATA_DIR=$(DEMO_DATA) $(BIN)/luoshi ask - < examples/questions.txt

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

$(VENV)/.bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@

bench-quality: $(VENV)/.bench  ## Luoshi vs the LangChain baseline and ablations (docs/benchmarks.md)
	$(BIN)/python benchmarks/quality.py

bench-speed: $(VENV)/.bench  ## ingest and query speed, size and memory at 1k, 10k, 50k chunks
	$(BIN)/python benchmarks/speed.py $(SPEED_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DATA)
