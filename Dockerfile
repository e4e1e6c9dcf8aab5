# The pipeline image: the locked Python 3.11 environment plus the project's code. Every
# Kubeflow step runs in it (`python -m pipeline compile --target kubeflow --image ...`).
# Build: docker build -t REGISTRY/tfx-pipeline:TAG .
#
# Base: the issue asks for tensorflow/tfx:1.16.0 "or an equivalent pinned base". That image
# brings its own interpreter and its own TFX, TensorFlow and Beam install; requirements.lock
# is resolved for Python 3.11 (`make lock`), and installing it over another interpreter's
# packages would mix two resolutions. So the equivalent is the pinned Python 3.11 image
# this project is developed on, plus the lock, which pins tfx[kfp]==1.16.0 and everything
# under it.
FROM python:3.11.7-slim-bookworm

# TF_USE_LEGACY_KERAS: on a laptop `modules/__init__.py` sets it; in a Kubeflow container
# TFX's executor imports TensorFlow before any project module, so the image sets it too.
# PYTHONPATH: the executors import `components.*` and `modules.*` by name.
ENV PYTHONUNBUFFERED=1 \
    PYTHONPATH=/pipeline \
    TF_USE_LEGACY_KERAS=1

WORKDIR /pipeline
# uv as in the Makefile (UV_VERSION); tests/test_dockerfile.py keeps the two equal.
COPY requirements.lock .
RUN pip install --no-cache-dir "uv==0.5.31" \
    && uv pip install --system --no-cache -r requirements.lock

COPY data data
COPY modules modules
COPY components components
COPY inspection inspection
COPY pipeline pipeline
COPY serving serving

ENTRYPOINT ["python", "-m", "pipeline"]
