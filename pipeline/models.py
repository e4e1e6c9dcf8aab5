"""The registry of models: every package under `modules/` that declares a `MODEL`.

A model is added by adding its package (see DEVELOPERS.md); nothing here names one.
"""

import dataclasses
import importlib
import pkgutil
from typing import Dict

import modules
from modules.common.model_spec import COMMON_PACKAGE, ModelSpec

DECLARATION = "MODEL"


def _discover() -> Dict[str, ModelSpec]:
    """Each model package's declaration, named after its package, in alphabetical order."""
    found = {}
    for package in sorted(info.name for info in pkgutil.iter_modules(modules.__path__) if info.ispkg):
        if package == COMMON_PACKAGE:
            continue
        declaration = getattr(importlib.import_module(f"modules.{package}"), DECLARATION, None)
        if not isinstance(declaration, ModelSpec):
            raise TypeError(f"modules/{package}/__init__.py declares no {DECLARATION} = ModelSpec(...)")
        found[package] = dataclasses.replace(declaration, name=package)
    return found


MODELS: Dict[str, ModelSpec] = _discover()


def get_model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(MODELS)}") from None
