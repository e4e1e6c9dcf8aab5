"""A run that changed nothing, remembered so that the same run again answers without TFX.

A run in which every node was CACHED is a fixed point: run again with the same code,
settings, input files and metadata store, TFX resolves the same inputs and caches every
node again, but only after importing TensorFlow, Beam and TFX to find that out, which is
most of a cached run's time (bench/results/pipeline_speed.md). So when such a run ends,
its fingerprint (`fingerprint`), the store's last execution id and its summary are kept
in ML Metadata, on a context of this project's own type. The next run computes its
fingerprint before importing any of them; when it matches and no execution was recorded
since, the summary stands and nothing runs (`--no-cache` always runs).
"""

import dataclasses
import hashlib
import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from ml_metadata import errors
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2

from inspection import mlmd
from pipeline.configs import RunSettings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# What a run executes: every source file a node or the command line imports or reads.
CODE_DIRECTORIES = ("components", "data", "inspection", "modules", "pipeline", "serving")
CODE_SUFFIXES = (".py", ".pbtxt")
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
SETTLED_CONTEXT_TYPE = "tfx_e2e.settled_run"
FINGERPRINT = "fingerprint"
LAST_EXECUTION_ID = "last_execution_id"
RUN_ID = "run_id"
SUMMARY = "summary"


@dataclasses.dataclass(frozen=True)
class SettledRun:
    fingerprint: str
    last_execution_id: int
    run_id: str
    summary: str


def _code_files() -> Iterator[Path]:
    for directory in CODE_DIRECTORIES:
        for path in sorted((PROJECT_ROOT / directory).rglob("*")):
            if path.suffix in CODE_SUFFIXES and not path.name.endswith("_test.py") and "__pycache__" not in path.parts:
                yield path


def _file_states(root: Path) -> List[Tuple[str, int, int]]:
    """(relative path, size, modification time) of every file under `root`: what ExampleGen's
    own input fingerprint looks at."""
    states = []
    for directory, _, names in os.walk(root):
        for name in names:
            status = os.stat(os.path.join(directory, name))
            states.append((os.path.relpath(os.path.join(directory, name), root), status.st_size, status.st_mtime_ns))
    return sorted(states)


def _listing(directory: Path) -> List[str]:
    return sorted(os.listdir(directory)) if directory.is_dir() else []


def fingerprint(settings: RunSettings) -> str:
    """What decides a run's outcome, hashed: the project's code and pinned libraries, the run's
    settings, its input files, and the versions already served."""
    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}={value!r}\n".encode())

    add("python", sys.version)
    add("lock", hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest() if LOCK_FILE.exists() else None)
    for path in _code_files():
        add(path.relative_to(PROJECT_ROOT).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        add(field.name, value.name if field.name == "model" else value)
    add("data", _file_states(settings.paths.data_root))
    add("served", (_listing(settings.paths.serving_model_dir), _listing(settings.paths.serving_tflite_dir)))
    return digest.hexdigest()


def _context_type_id(store: metadata_store.MetadataStore) -> int:
    return store.put_context_type(metadata_store_pb2.ContextType(name=SETTLED_CONTEXT_TYPE), can_add_fields=True)


def read(store: metadata_store.MetadataStore, pipeline_name: str) -> Optional[SettledRun]:
    """The last settled run of `pipeline_name` recorded in `store`, if any."""
    try:
        context = store.get_context_by_type_and_name(SETTLED_CONTEXT_TYPE, pipeline_name)
    except errors.NotFoundError:  # the type itself is not there yet
        return None
    if context is None:
        return None
    properties = context.custom_properties
    return SettledRun(
        properties[FINGERPRINT].string_value,
        properties[LAST_EXECUTION_ID].int_value,
        properties[RUN_ID].string_value,
        properties[SUMMARY].string_value,
    )


def record(store: metadata_store.MetadataStore, pipeline_name: str, settled: SettledRun) -> None:
    """Keeps `settled` as `pipeline_name`'s last settled run, replacing the one before."""
    type_id = _context_type_id(store)
    context = store.get_context_by_type_and_name(SETTLED_CONTEXT_TYPE, pipeline_name)
    if context is None:
        context = metadata_store_pb2.Context(type_id=type_id, name=pipeline_name)
    context.custom_properties[FINGERPRINT].string_value = settled.fingerprint
    context.custom_properties[LAST_EXECUTION_ID].int_value = settled.last_execution_id
    context.custom_properties[RUN_ID].string_value = settled.run_id
    context.custom_properties[SUMMARY].string_value = settled.summary
    store.put_contexts([context])


def unchanged_since(store: metadata_store.MetadataStore, pipeline_name: str, current: str) -> Optional[SettledRun]:
    """The settled run this run would repeat exactly, or None when something changed."""
    settled = read(store, pipeline_name)
    if settled is None or settled.fingerprint != current:
        return None
    return settled if mlmd.max_execution_id(store) == settled.last_execution_id else None
