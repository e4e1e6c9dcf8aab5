"""The models a local server serves: the newest complete version of each, kept current.

TF Serving's default version policy, reproduced: for every `<base>/<model>/`, the newest
version is loaded; a newer version replaces it when it appears, a removed one falls back
to the newest that remains, and a removed model is unloaded. A version that fails to load
is recorded (status END with its error) and the previous version keeps serving.
"""

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2
from tensorflow_serving.apis import get_model_metadata_pb2

from serving import layout

log = logging.getLogger(__name__)


class ServingError(Exception):
    """An error with the HTTP status TF Serving would answer and its message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ServingError:
    return ServingError(400, message)


def not_found(message: str) -> ServingError:
    return ServingError(404, message)


@dataclass
class LoadedModel:
    name: str
    version: int
    path: Path
    signature_defs: Dict[str, meta_graph_pb2.SignatureDef]
    functions: Dict[str, Callable]
    handle: object = field(repr=False)  # keeps the loaded SavedModel's variables alive

    def signature(self, signature_name: str) -> meta_graph_pb2.SignatureDef:
        if signature_name not in self.functions:
            raise bad_request(
                f"Serving signature name: \"{signature_name}\" not found in signature def; "
                f"{self.name} has {sorted(self.functions)}"
            )
        return self.signature_defs[signature_name]

    def signature_def_map(self) -> get_model_metadata_pb2.SignatureDefMap:
        """What TF Serving's GetModelMetadata answers under `signature_def`."""
        signature_map = get_model_metadata_pb2.SignatureDefMap()
        for name, signature in self.signature_defs.items():
            signature_map.signature_def[name].CopyFrom(signature)
        return signature_map

    def input_specs(self, signature_name: str) -> Dict[str, tf.TensorSpec]:
        self.signature(signature_name)
        return dict(self.functions[signature_name].structured_input_signature[1])

    def run(self, signature_name: str, inputs: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        """Calls a signature; checks names, dtypes and shapes first, as TF Serving does."""
        specs = self.input_specs(signature_name)
        missing, extra = sorted(set(specs) - set(inputs)), sorted(set(inputs) - set(specs))
        if missing or extra:
            raise bad_request(
                f"signature {signature_name!r} takes inputs {sorted(specs)}; "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"unexpected {extra}" if extra else "")
            )
        tensors = {}
        for name, spec in specs.items():
            value = inputs[name]
            if not spec.shape.is_compatible_with(value.shape):
                raise bad_request(
                    f"input {name!r} of signature {signature_name!r} has shape {list(value.shape)}, "
                    f"but the signature takes {spec.shape.as_list()} (None: any size)"
                )
            try:
                tensors[name] = tf.constant(value, dtype=spec.dtype)
            except (TypeError, ValueError) as error:
                raise bad_request(f"input {name!r} is not {spec.dtype.name}: {error}") from None
        try:
            outputs = self.functions[signature_name](**tensors)
        except (tf.errors.InvalidArgumentError, ValueError, TypeError) as error:
            raise bad_request(f"{signature_name}: {getattr(error, 'message', error)}") from None
        return {name: value.numpy() for name, value in outputs.items()}


def read_signature_defs(version_path: Path) -> Dict[str, meta_graph_pb2.SignatureDef]:
    """The SignatureDefs of a SavedModel's serving meta graph, method names included."""
    saved_model = saved_model_pb2.SavedModel.FromString((version_path / layout.SAVED_MODEL_FILE).read_bytes())
    meta_graph = next(graph for graph in saved_model.meta_graphs if "serve" in graph.meta_info_def.tags)
    return {name: meta_graph.signature_def[name] for name in sorted(meta_graph.signature_def)}


def load_model(name: str, version: int, path: Path) -> LoadedModel:
    loaded = tf.saved_model.load(str(path))
    signature_defs = read_signature_defs(path)
    # The map also holds `__saved_model_init_op`, which is no callable signature.
    functions = {signature: loaded.signatures[signature] for signature in signature_defs if signature in loaded.signatures}
    return LoadedModel(name, version, path, signature_defs, functions, loaded)


@dataclass
class VersionStatus:
    version: int
    state: str  # AVAILABLE or END (a version that failed to load, or was replaced)
    error: str = ""


class ModelRepository:
    """Thread-safe map from model name to its loaded newest version."""

    def __init__(self, base_path: Path):
        self.base_path = Path(base_path)
        self._models: Dict[str, LoadedModel] = {}
        self._failed: Dict[str, VersionStatus] = {}
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()  # the poller and a caller may refresh at once

    def model(self, name: str, version: Optional[int] = None) -> LoadedModel:
        with self._lock:
            loaded = self._models.get(name)
        if loaded is None:
            raise not_found(f"Servable not found for request: Latest({name})")
        if version is not None and version != loaded.version:
            raise not_found(f"Servable not found for request: Specific({name}, {version})")
        return loaded

    def names(self) -> List[str]:
        with self._lock:
            return sorted(self._models)

    def status(self, name: str) -> List[VersionStatus]:
        with self._lock:
            loaded, failed = self._models.get(name), self._failed.get(name)
        statuses = [VersionStatus(loaded.version, "AVAILABLE")] if loaded else []
        if failed:
            statuses.append(failed)
        if not statuses:
            raise not_found(f"Could not find any versions of model {name}")
        return statuses

    def refresh(self) -> List[str]:
        """Loads what changed on disk; returns one line per change (for the server log)."""
        with self._refresh_lock:
            return self._refresh()

    def _refresh(self) -> List[str]:
        changes = []
        served = layout.served_models(self.base_path)
        for name in set(self.names()) - set(served):
            with self._lock:
                del self._models[name]
            changes.append(f"{name}: unloaded (its directory is gone)")
        for name, versions in served.items():
            newest = versions[-1]
            current = self._models.get(name)
            failed = self._failed.get(name)
            if failed and failed.version not in versions:
                with self._lock:
                    del self._failed[name]
                failed = None
            if (current and current.version == newest) or (failed and failed.version == newest):
                continue
            try:
                loaded = load_model(name, newest, layout.version_dir(self.base_path, name, newest))
            except Exception as error:  # a broken version must not take the server down
                with self._lock:
                    self._failed[name] = VersionStatus(newest, "END", f"{type(error).__name__}: {error}")
                kept = f"; version {current.version} keeps serving" if current else ""
                changes.append(f"{name}: version {newest} failed to load ({type(error).__name__}){kept}")
                log.warning("%s version %s failed to load: %s", name, newest, error)
                continue
            with self._lock:
                self._models[name] = loaded
                self._failed.pop(name, None)
            changes.append(f"{name}: serving version {newest}" + (f" (was {current.version})" if current else ""))
        return changes


class Poller:
    """Calls `repository.refresh()` every `interval_s` seconds on a daemon thread."""

    def __init__(self, repository: ModelRepository, interval_s: float, report: Callable[[str], None]):
        self._repository, self._interval_s, self._report = repository, interval_s, report
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="model-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval_s):
            for change in self._repository.refresh():
                self._report(change)
