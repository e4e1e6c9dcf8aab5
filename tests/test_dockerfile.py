"""The pipeline image (Dockerfile) holds what a Kubeflow step imports, and the locked environment.

The image cannot be built here (no Docker engine), so the Dockerfile is checked against the
code: every project package reachable by import from `pipeline/` must be copied to where
PYTHONPATH points, and requirements.lock must be what gets installed.
"""

import ast
import re
from typing import Dict, List, Set

from pipeline import orchestrators
from pipeline.orchestrators import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
ENTRY_PACKAGE = "pipeline"


def project_packages() -> Set[str]:
    return {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")}


def imported_top_level_names(package: str) -> Set[str]:
    """Top-level names imported anywhere in `package`'s non-test modules."""
    names = set()
    for source in (PROJECT_ROOT / package).rglob("*.py"):
        if source.name.endswith("_test.py"):
            continue
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def runtime_packages() -> Set[str]:
    """Project packages reachable by import from `pipeline/`, the image's entry point."""
    local = project_packages()
    found, queue = {ENTRY_PACKAGE}, [ENTRY_PACKAGE]
    while queue:
        for name in imported_top_level_names(queue.pop()) & local - found:
            found.add(name)
            queue.append(name)
    return found


def instructions() -> List[List[str]]:
    """Each Dockerfile instruction as [KEYWORD, arguments...], continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [[line.split()[0].upper(), line.split(None, 1)[1]] for line in lines]


def copies() -> Dict[str, str]:
    return {args.split()[0]: args.split()[1] for keyword, args in instructions() if keyword == "COPY"}


def test_image_copies_every_package_the_pipeline_imports_at_run_time():
    packages = runtime_packages()
    assert {"pipeline", "modules", "components", "data"} <= packages  # the walk found the known ones
    copied = copies()
    workdir = next(args for keyword, args in instructions() if keyword == "WORKDIR")
    assert {package: copied.get(package) for package in packages} == {package: package for package in packages}
    env = " ".join(args for keyword, args in instructions() if keyword == "ENV")
    assert f"PYTHONPATH={workdir}" in env  # the copies are importable from there
    assert "TF_USE_LEGACY_KERAS=1" in env
    # Kubeflow's ImportSchemaGen reads modules/<model>/schema.pbtxt under the image's project root.
    assert workdir == orchestrators.IMAGE_PROJECT_ROOT


def test_image_installs_the_lock_with_the_makefiles_uv():
    assert copies()["requirements.lock"] == "."
    runs = [args for keyword, args in instructions() if keyword == "RUN"]
    assert any("-r requirements.lock" in run for run in runs)
    makefile_uv = re.search(r"^UV_VERSION := (\S+)$", (PROJECT_ROOT / "Makefile").read_text(), re.M).group(1)
    assert any(f'"uv=={makefile_uv}"' in run for run in runs)


def test_base_image_is_pinned_to_the_locks_python():
    base = next(args for keyword, args in instructions() if keyword == "FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", base), base
    assert "--python-version 3.11" in (PROJECT_ROOT / "requirements.lock").read_text().splitlines()[1]
