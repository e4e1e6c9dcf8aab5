"""models.config: what TF Serving will load, from the pushed directory."""

from pathlib import Path

import pytest

from serving import config, layout


def _push(base: Path, model: str, *versions: int) -> None:
    for version in versions:
        (base / model / str(version)).mkdir(parents=True)
        (base / model / str(version) / layout.SAVED_MODEL_FILE).write_bytes(b"")


@pytest.fixture
def base(tmp_path) -> Path:
    _push(tmp_path, "penguin", 100, 200)
    _push(tmp_path, "taxi", 300)
    (tmp_path / "taxi" / ".staging-400-1").mkdir()  # a push in progress is not a version
    (tmp_path / "taxi" / "500").mkdir()  # nor is a directory without saved_model.pb
    return tmp_path


def test_served_models_lists_complete_versions_only(base):
    assert layout.served_models(base) == {"penguin": [100, 200], "taxi": [300]}


def test_default_config_serves_each_models_newest_version(base):
    path = config.write_config(base)
    assert path == base / layout.CONFIG_FILE_NAME
    parsed = config.read_config(path)
    entries = {entry.name: entry for entry in parsed.model_config_list.config}
    assert set(entries) == {"penguin", "taxi"}
    assert entries["penguin"].base_path == "/models/penguin"
    assert entries["penguin"].model_platform == "tensorflow"
    assert entries["penguin"].model_version_policy.latest.num_versions == 1
    assert config.describe(parsed) == ["penguin: newest version from /models/penguin", "taxi: newest version from /models/taxi"]


def test_canary_labels_the_newest_two_versions(base):
    parsed = config.read_config(config.write_config(base, canary=True, container_base_path="/srv/models"))
    penguin, taxi = parsed.model_config_list.config
    assert list(penguin.model_version_policy.specific.versions) == [100, 200]
    assert dict(penguin.version_labels) == {"stable": 100, "canary": 200}
    assert penguin.base_path == "/srv/models/penguin"
    assert taxi.model_version_policy.latest.num_versions == 1, "one version: nothing to canary"


def test_explicit_labels_override_and_are_checked(base):
    labels = [config.VersionLabel.parse("penguin:stable=200")]
    (penguin, _) = config.read_config(config.write_config(base, labels=labels)).model_config_list.config
    assert dict(penguin.version_labels) == {"stable": 200}
    with pytest.raises(ValueError, match="names version 999 of 'penguin', which has \\[100, 200\\]"):
        config.write_config(base, labels=[config.VersionLabel.parse("penguin:stable=999")])
    with pytest.raises(ValueError, match="not pushed"):
        config.write_config(base, labels=[config.VersionLabel.parse("cifar:stable=1")])
    with pytest.raises(ValueError, match="MODEL:LABEL=VERSION"):
        config.VersionLabel.parse("penguin=stable")


def test_an_empty_directory_is_an_error_that_says_what_was_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match="no pushed models under"):
        config.write_config(tmp_path)


def test_docker_compose_serves_the_config_this_module_writes():
    """serving/docker-compose.yml mounts the model base where models.config points, on TF
    Serving's ports, with an image of the TensorFlow version the models are saved with."""
    import tensorflow as tf
    import yaml

    compose = yaml.safe_load((Path(__file__).parent / "docker-compose.yml").read_text())
    (service,) = compose["services"].values()
    image_version = service["image"].split(":")[1]
    assert service["image"].startswith("tensorflow/serving:")
    assert image_version.split(".")[:2] == tf.__version__.split(".")[:2]
    source, mount, mode = service["volumes"][0].split(":")
    assert (Path(__file__).parent / source).resolve() == layout.DEFAULT_MODEL_BASE_PATH.resolve()
    assert mount == config.CONTAINER_BASE_PATH and mode == "ro"
    assert f"--model_config_file={config.CONTAINER_BASE_PATH}/{layout.CONFIG_FILE_NAME}" in service["command"]
    assert {"--port=8500", "--rest_api_port=8501"} <= set(service["command"])
    assert service["ports"] == ["8500:8500", "8501:8501"]
