# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Each creates .venv from requirements.lock when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.5.31
INSTALLED := $(VENV)/.installed
ARGS ?=
PYTEST_ARGS ?=
# Test processes (pytest-xdist); tests sharing a fixture stay together (see conftest.py).
TEST_WORKERS ?= 2

.PHONY: run test bench bench-models bench-tflite bench-serving bench-scale chaos lock venv clean

run: $(INSTALLED)
	$(VENV_PYTHON) -m pipeline run $(ARGS)

test: $(INSTALLED)
	$(VENV_PYTHON) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: $(INSTALLED)
	$(VENV_PYTHON) -m bench pipeline $(ARGS)

bench-models: $(INSTALLED)
	$(VENV_PYTHON) -m bench models $(ARGS)

bench-tflite: $(INSTALLED)
	$(VENV_PYTHON) -m bench tflite $(ARGS)

bench-serving: $(INSTALLED)
	$(VENV_PYTHON) -m bench serving $(ARGS)

# The taxi pipeline on 10k, 100k and 1M trips, per node and Beam mode: bench/results/scale.md.
bench-scale: $(INSTALLED)
	$(VENV_PYTHON) -m bench scale $(ARGS)

# Faults (kill -9 at each node, two runs at once, full and read-only disks, server faults):
# bench/results/chaos.md. Mounting a tmpfs for the disk cases needs root.
chaos: $(INSTALLED)
	$(VENV_PYTHON) -m bench chaos $(ARGS)

venv: $(INSTALLED)

# pip stays in the venv: TFX packages user modules with `python -m pip`.
# compileall writes every package's .pyc once, here. uv writes none, and where
# PYTHONDONTWRITEBYTECODE is set no run writes them either, so every process (each run,
# each Beam worker) would compile TensorFlow, TFX and Beam from source (docs/speed.md).
$(INSTALLED): requirements.lock Makefile
	test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) pip install --python $(VENV_PYTHON) -r requirements.lock
	$(VENV_PYTHON) -m compileall -q -j 0 "$$($(VENV_PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	touch $@

# Re-resolves requirements.in into requirements.lock for Python 3.11.
lock:
	test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(VENV_PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"; }
	$(UV) pip compile requirements.in --python-version 3.11 --output-file requirements.lock

clean:
	rm -rf outputs .pytest_cache
