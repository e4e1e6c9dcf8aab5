"""Every data module imports without TensorFlow: the model registry imports them all, and
preparing data runs before every pipeline run."""

import subprocess
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
MODULES = ["data"] + sorted(
    f"data.{path.stem}" for path in DATA_DIR.glob("*.py") if not path.stem.endswith("_test") and path.stem != "__init__"
)
# Imports the modules one by one in a fresh interpreter and names the first that loads TensorFlow.
CHECK = """
import importlib, sys
for module in sys.argv[1:]:
    importlib.import_module(module)
    assert "tensorflow" not in sys.modules, f"importing {module} imported tensorflow"
"""


def test_importing_any_data_module_leaves_tensorflow_unloaded():
    assert len(MODULES) > 10  # the glob found the package's modules
    completed = subprocess.run(
        [sys.executable, "-c", CHECK, *MODULES], cwd=DATA_DIR.parent, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
