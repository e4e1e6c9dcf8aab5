"""The served model directory, as TF Serving reads it: `<base>/<model>/<integer version>/`.

The Pusher (`components/versioned_pusher.py`) renames a fully written version into place,
so a version directory with a `saved_model.pb` is complete; staging directories are
hidden (dot-prefixed) and never counted.
"""

from pathlib import Path
from typing import Dict, List

SAVED_MODEL_FILE = "saved_model.pb"
CONFIG_FILE_NAME = "models.config"
# Where `python -m pipeline run` pushes by default (pipeline.configs; a test keeps them equal).
DEFAULT_MODEL_BASE_PATH = Path("outputs") / "serving"


def versions(model_dir: Path) -> List[int]:
    """Complete versions of one model, oldest first."""
    if not model_dir.is_dir():
        return []
    return sorted(
        int(entry.name)
        for entry in model_dir.iterdir()
        if entry.name.isdigit() and (entry / SAVED_MODEL_FILE).is_file()
    )


def served_models(base_path: Path) -> Dict[str, List[int]]:
    """Every model under `base_path` that has at least one complete version."""
    if not base_path.is_dir():
        return {}
    found = {entry.name: versions(entry) for entry in sorted(base_path.iterdir()) if entry.is_dir()}
    return {name: model_versions for name, model_versions in found.items() if model_versions}


def version_dir(base_path: Path, model: str, version: int) -> Path:
    return base_path / model / str(version)
