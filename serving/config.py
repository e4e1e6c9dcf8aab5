"""`models.config` for TF Serving's `--model_config_file`: one entry per pushed model.

Built with TF Serving's own `ModelServerConfig` proto and written in its text format, so
the file is exactly what `tensorflow_model_server` parses. Version policy:
- default: serve the newest version (`latest { num_versions: 1 }`);
- `canary=True`: for a model with two or more versions, serve the newest two, labelled
  `stable` (the one before) and `canary` (the newest), so clients can address either
  with `/versions/N` or `/labels/stable`.
Explicit labels (`model:label=version`) override those.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Dict, List, Mapping, Optional, Sequence

from google.protobuf import text_format
from tensorflow_serving.config import model_server_config_pb2

from serving import layout

STABLE_LABEL = "stable"
CANARY_LABEL = "canary"
# Where serving/docker-compose.yml mounts the model base directory in the container.
CONTAINER_BASE_PATH = "/models"


@dataclass(frozen=True)
class VersionLabel:
    model: str
    label: str
    version: int

    @classmethod
    def parse(cls, text: str) -> "VersionLabel":
        """`penguin:stable=1732500000` -> VersionLabel("penguin", "stable", 1732500000)."""
        model, _, assignment = text.partition(":")
        label, _, version = assignment.partition("=")
        if not (model and label and version.isdigit()):
            raise ValueError(f"version label {text!r} is not MODEL:LABEL=VERSION (e.g. penguin:stable=1732500000)")
        return cls(model, label, int(version))


def _labels_for(model: str, versions: Sequence[int], canary: bool, explicit: Sequence[VersionLabel]) -> Dict[str, int]:
    labels: Dict[str, int] = {}
    if canary and len(versions) >= 2:
        labels = {STABLE_LABEL: versions[-2], CANARY_LABEL: versions[-1]}
    for label in explicit:
        if label.model != model:
            continue
        if label.version not in versions:
            raise ValueError(f"label {label.label!r} names version {label.version} of {model!r}, which has {list(versions)}")
        labels[label.label] = label.version
    return labels


def build_config(
    served: Mapping[str, Sequence[int]],
    container_base_path: str = CONTAINER_BASE_PATH,
    canary: bool = False,
    labels: Sequence[VersionLabel] = (),
) -> model_server_config_pb2.ModelServerConfig:
    """The ModelServerConfig for `served` (model name -> versions, oldest first)."""
    unknown = sorted({label.model for label in labels} - set(served))
    if unknown:
        raise ValueError(f"labels name models that are not pushed: {unknown}; pushed: {sorted(served)}")
    config = model_server_config_pb2.ModelServerConfig()
    for model, versions in served.items():
        entry = config.model_config_list.config.add(
            name=model, base_path=str(PurePosixPath(container_base_path) / model), model_platform="tensorflow"
        )
        model_labels = _labels_for(model, versions, canary, labels)
        if model_labels:
            entry.model_version_policy.specific.versions.extend(sorted(set(model_labels.values())))
            for label, version in sorted(model_labels.items()):
                entry.version_labels[label] = version
        else:
            entry.model_version_policy.latest.num_versions = 1
    return config


def write_config(
    model_base_path: Path,
    output: Optional[Path] = None,
    container_base_path: str = CONTAINER_BASE_PATH,
    canary: bool = False,
    labels: Sequence[VersionLabel] = (),
) -> Path:
    """Writes `models.config` (by default into `model_base_path`, which the container mounts)."""
    served = layout.served_models(model_base_path)
    if not served:
        raise FileNotFoundError(f"no pushed models under {model_base_path} (expected <model>/<version>/saved_model.pb)")
    path = output or model_base_path / layout.CONFIG_FILE_NAME
    config = build_config(served, container_base_path, canary, labels)
    path.write_text(text_format.MessageToString(config))
    return path


def read_config(path: Path) -> model_server_config_pb2.ModelServerConfig:
    return text_format.Parse(path.read_text(), model_server_config_pb2.ModelServerConfig())


def describe(config: model_server_config_pb2.ModelServerConfig) -> List[str]:
    """One line per model: what TF Serving will load."""
    lines = []
    for entry in config.model_config_list.config:
        policy = entry.model_version_policy
        if policy.HasField("specific"):
            served = f"versions {list(policy.specific.versions)}"
        else:
            served = "newest version"
        labels = ", ".join(f"{label}={version}" for label, version in sorted(entry.version_labels.items()))
        lines.append(f"{entry.name}: {served} from {entry.base_path}" + (f" ({labels})" if labels else ""))
    return lines
