"""Where a run reads and writes, and the defaults of every run setting.

Each path is resolved in this order: its own command-line flag, its own environment
variable, then a default under the output directory (itself a flag, an environment
variable, or `outputs/`).
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import List, Mapping, Optional, Tuple

from ml_metadata.proto import metadata_store_pb2

from modules.common.model_spec import ModelSpec
from pipeline.metadata_backend import MysqlAddress, connection_config

DEFAULT_MODEL = "penguin"
DEFAULT_OUTPUT_DIR = Path("outputs")

OUTPUT_DIR_ENV = "PIPELINE_OUTPUT_DIR"
PIPELINE_ROOT_ENV = "PIPELINE_ROOT"
METADATA_PATH_ENV = "METADATA_PATH"
SERVING_MODEL_DIR_ENV = "SERVING_MODEL_DIR"
SERVING_TFLITE_DIR_ENV = "SERVING_TFLITE_DIR"
DATA_ROOT_ENV = "DATA_ROOT"

# CsvExampleGen's hash split: train:eval = 3:1 buckets (about 75% / 25% of the rows,
# decided by a hash of each row, so a row stays in its split from run to run).
TRAIN_HASH_BUCKETS = 3
EVAL_HASH_BUCKETS = 1

# The data gate stops a split in which more examples than this repeat an earlier one exactly.
MAX_DUPLICATE_FRACTION = 0.05


@dataclass(frozen=True)
class Paths:
    """Absolute locations of everything a run reads or writes."""

    data_root: Path
    pipeline_root: Path
    metadata_path: Path
    serving_model_dir: Path
    log_dir: Path
    # `<version>/{float16,dynamic_range,int8}.tflite` beside each pushed SavedModel version
    serving_tflite_dir: Path


def resolve_paths(
    model: str,
    pipeline_name: str,
    output_dir: str | None = None,
    pipeline_root: str | None = None,
    metadata_path: str | None = None,
    serving_model_dir: str | None = None,
    data_root: str | None = None,
    serving_tflite_dir: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Paths:
    """Applies flag > environment variable > default-under-output-dir for each path."""

    def pick(flag: str | None, env_name: str, default: Path) -> Path:
        chosen = flag or environ.get(env_name) or default
        return Path(chosen).expanduser().resolve()

    base = pick(output_dir, OUTPUT_DIR_ENV, DEFAULT_OUTPUT_DIR)
    return Paths(
        data_root=pick(data_root, DATA_ROOT_ENV, base / "data" / model),
        pipeline_root=pick(pipeline_root, PIPELINE_ROOT_ENV, base / "pipelines" / pipeline_name),
        metadata_path=pick(
            metadata_path, METADATA_PATH_ENV, base / "metadata" / f"{pipeline_name}.sqlite"
        ),
        serving_model_dir=pick(serving_model_dir, SERVING_MODEL_DIR_ENV, base / "serving" / model),
        log_dir=base / "logs",
        serving_tflite_dir=pick(serving_tflite_dir, SERVING_TFLITE_DIR_ENV, base / "serving_tflite" / model),
    )


@dataclass(frozen=True)
class RunSettings:
    """Everything one local run needs, after flags and environment are resolved."""

    model: ModelSpec
    pipeline_name: str
    paths: Paths
    train_steps: int
    eval_steps: int
    threshold: float
    max_regression: float
    seed: int
    beam_args: List[str]
    # The built-in source `run` writes into `paths.data_root`; None: the user's own data
    # (`--data`), read as it is.
    data_source: Optional[str]
    enable_cache: bool = True
    # None: the SQLite file at `paths.metadata_path`.
    metadata_mysql: Optional[MysqlAddress] = None
    # The data root holds span-N/ directories; `span` pins one (None: the highest).
    spans: bool = False
    span: Optional[int] = None
    # Findings (`FEATURE:KIND`) a person accepted for this run: they do not stop the gate.
    accepted_anomalies: Tuple[str, ...] = ()
    # `--full`: the notes' network size too, where a model's default is smaller.
    full_size: bool = False

    def metadata_config(self) -> metadata_store_pb2.ConnectionConfig:
        """The one connection config every reader and writer of this run's metadata uses."""
        return connection_config(self.paths.metadata_path, self.metadata_mysql)

    def log_path(self, stamp: str) -> Path:
        return self.paths.log_dir / f"{self.pipeline_name}-{stamp}.log"
