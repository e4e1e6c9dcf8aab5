"""`python -m pipeline`: see pipeline/cli.py."""

import gc
import sys

from pipeline.cli import main

code = main()
# Tearing down TensorFlow, Beam and TFX object by object took 2.5 s after every run
# (docs/speed.md). Everything is written by now; frozen objects are left to the OS, and
# exit handlers (log flushing among them) still run.
gc.freeze()
sys.exit(code)
