"""Every data module imports without TensorFlow: the model registry imports them all, and
preparing data runs before every pipeline run."""

import subprocess
import sys
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent
MODULES = ["data"] + sorted(
    f"data.{path.stem}" for path in DATA_DIR.glob("*.py") if not path.stem.endswith("_test") and path.stem != "__init__"
)


@pytest.mark.parametrize("module", MODULES)
def test_importing_leaves_tensorflow_unloaded(module):
    check = f"import sys, {module}; assert 'tensorflow' not in sys.modules, 'tensorflow imported'"
    subprocess.run([sys.executable, "-c", check], cwd=DATA_DIR.parent, check=True)
