"""The registry finds every model package and nothing else."""

import sys
import types

import pytest

import modules
from modules.common.model_spec import MODULES_DIR
from pipeline import models


def test_every_package_with_a_model_file_is_registered_under_its_own_name():
    packages = {path.parent.name for path in MODULES_DIR.glob("*/model.py")}
    assert set(models.MODELS) == packages
    assert all(spec.name == name for name, spec in models.MODELS.items())


def test_the_gated_metric_is_declared_once_and_reaches_the_eval_config():
    spec = models.get_model("penguin")
    config = spec.eval_config(0.9, 0.0)
    gated = [metric for metric in config.metrics_specs[0].metrics if metric.threshold.HasField("value_threshold")]
    assert [metric.class_name for metric in gated] == [spec.gated_metric.class_name]
    assert gated[0].threshold.value_threshold.lower_bound.value == 0.9


def test_a_package_without_a_declaration_is_refused(tmp_path, monkeypatch):
    (tmp_path / "undeclared").mkdir()
    (tmp_path / "undeclared" / "__init__.py").write_text('"""No MODEL here."""\n')
    monkeypatch.setattr(modules, "__path__", [*modules.__path__, str(tmp_path)])
    monkeypatch.setitem(sys.modules, "modules.undeclared", types.ModuleType("modules.undeclared"))
    with pytest.raises(TypeError, match="modules/undeclared/__init__.py declares no MODEL"):
        models._discover()


def test_an_unknown_model_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown model 'nope'; known models: .*penguin"):
        models.get_model("nope")
