# The pipeline image: the locked Python 3.11 environment plus the project's code.
# Build: docker build -t REGISTRY/tfx-pipeline:TAG .
FROM python:3.11.7-slim-bookworm

# TF_USE_LEGACY_KERAS: on a laptop `modules/__init__.py` sets it; in a Kubeflow container
# TFX's executor imports TensorFlow before any project module, so the image sets it too.
ENV PYTHONUNBUFFERED=1 \
    PYTHONPATH=/pipeline \
    TF_USE_LEGACY_KERAS=1

WORKDIR /pipeline
COPY requirements.lock .
RUN pip install --no-cache-dir "uv==0.5.31" \
    && uv pip install --system --no-cache -r requirements.lock

COPY data data
COPY modules modules
COPY components components
COPY pipeline pipeline
COPY serving serving

ENTRYPOINT ["python", "-m", "pipeline"]
