"""`compile`: the same `create_pipeline` for Kubeflow Pipelines and Airflow.

`run` hands the pipeline to LocalDagRunner. `compile --target kubeflow` writes a
Kubeflow Pipelines v2 job spec (JSON) whose steps run in the project's container image;
`compile --target airflow` writes a DAG file that Airflow's scheduler imports from its
dags folder. All three build the pipeline with `runner.build_pipeline`, so they run the
same nodes with the same settings.

The module imports TFX only inside its functions: the CLI imports it to build its
parser, before any heavy import.
"""

import dataclasses
import datetime
import json
import os
import pprint
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

from pipeline.configs import Paths, RunSettings
from pipeline.metadata_backend import MysqlAddress
from pipeline.models import get_model

if TYPE_CHECKING:
    from airflow.models import DAG

KUBEFLOW = "kubeflow"
AIRFLOW = "airflow"
TARGETS = (KUBEFLOW, AIRFLOW)

IMAGE_ENV = "PIPELINE_IMAGE"
PROJECT_ROOT_ENV = "PIPELINE_PROJECT_ROOT"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Where the Dockerfile puts the project in the image (its WORKDIR): ImportSchemaGen reads
# the model's curated schema under it on Kubeflow.
IMAGE_PROJECT_ROOT = "/pipeline"

# The Kubeflow spec's runtime parameters: a run may change them without a new spec.
# Trainer's step counts travel as TrainArgs/EvalArgs JSON (see `pipeline.steps_argument`).
DATA_ROOT_PARAMETER = "data_root"
TRAIN_ARGS_PARAMETER = "train_args"
EVAL_ARGS_PARAMETER = "eval_args"

# What Kubeflow Pipelines v2 accepts as a pipeline name: no underscores, unlike model names.
KUBEFLOW_PIPELINE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")

# Airflow runs the DAG when it is triggered (no schedule); it needs a start date anyway.
AIRFLOW_DAG_CONFIG = {"schedule": None, "start_date": datetime.datetime(2024, 1, 1), "catchup": False}

AIRFLOW_DAG_FILE = '''"""Airflow DAG: pipeline {pipeline_name!r} for model {model!r}.

Written by `python -m pipeline compile --target airflow`; compile again to change it.
Airflow imports this file from its dags folder. The project must be importable there:
its root, below, goes on sys.path (${project_root_env} overrides it).
"""

import os
import sys

PROJECT_ROOT = os.environ.get({project_root_env!r}, {project_root!r})
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

from pipeline.orchestrators import airflow_dag  # noqa: E402  (importable once the path is set)

SETTINGS = {settings}

DAG = airflow_dag(SETTINGS)
'''


def kubeflow_image(flag: Optional[str], environ: Mapping[str, str] = os.environ) -> str:
    """The pipeline image every Kubeflow step runs in: `--image`, else $PIPELINE_IMAGE.

    There is no default: TFX's would be its own image, without this project's modules.
    """
    image = (flag or environ.get(IMAGE_ENV, "")).strip()
    if not image:
        raise ValueError(
            f"compile --target {KUBEFLOW} needs the pipeline image built from the Dockerfile: "
            f"--image REGISTRY/tfx-pipeline:TAG or ${IMAGE_ENV} (got {flag!r} and "
            f"${IMAGE_ENV}={environ.get(IMAGE_ENV)!r})"
        )
    return image


def kubeflow_pipeline_name(model: str) -> str:
    """The default pipeline name on Kubeflow: the model's, with hyphens for underscores."""
    return model.replace("_", "-")


def bake(settings: RunSettings) -> Dict[str, Any]:
    """`settings` as plain values, to write into a DAG file and read back with `unbake`."""
    baked = {field.name: getattr(settings, field.name) for field in dataclasses.fields(settings)}
    baked["model"] = settings.model.name
    baked["paths"] = {name: str(path) for name, path in dataclasses.asdict(settings.paths).items()}
    baked["metadata_mysql"] = str(settings.metadata_mysql) if settings.metadata_mysql else None
    return baked


def unbake(baked: Mapping[str, Any]) -> RunSettings:
    """The settings `bake` wrote; a DAG file from an older compile fails here by name."""
    mysql = baked["metadata_mysql"]
    try:
        return RunSettings(
            **{
                **baked,
                "model": get_model(baked["model"]),
                "paths": Paths(**{name: Path(path) for name, path in baked["paths"].items()}),
                "metadata_mysql": MysqlAddress.parse(mysql) if mysql else None,
            }
        )
    except TypeError as error:
        raise ValueError(
            f"the DAG file's SETTINGS for pipeline {baked.get('pipeline_name')!r} no longer match this "
            f"project's settings ({error}); run `python -m pipeline compile --target {AIRFLOW}` again"
        ) from error


def compile_kubeflow(settings: RunSettings, image: str, output: Path) -> Path:
    """Writes the Kubeflow Pipelines v2 job spec, with the data root and steps as parameters.

    The spec's `runtimeConfig` holds this compile's values; a run submitted from it may
    override each one (KFP's parameter definitions carry no defaults of their own).
    """
    if settings.metadata_mysql is not None:
        raise ValueError(
            f"--metadata-mysql {settings.metadata_mysql}: Kubeflow Pipelines records ML Metadata in its "
            f"own store; the flag applies to `run` and --target {AIRFLOW}"
        )
    if not KUBEFLOW_PIPELINE_NAME.fullmatch(settings.pipeline_name):
        raise ValueError(
            f"pipeline name {settings.pipeline_name!r}: Kubeflow Pipelines takes lowercase letters, digits "
            f"and hyphens ({KUBEFLOW_PIPELINE_NAME.pattern})"
        )
    from tfx.orchestration.data_types import RuntimeParameter
    from tfx.orchestration.kubeflow.v2 import kubeflow_v2_dag_runner

    from pipeline.runner import build_pipeline

    values = {
        DATA_ROOT_PARAMETER: str(settings.paths.data_root),
        TRAIN_ARGS_PARAMETER: json.dumps({"num_steps": settings.train_steps}),
        EVAL_ARGS_PARAMETER: json.dumps({"num_steps": settings.eval_steps}),
    }
    parameters = {name: RuntimeParameter(name, ptype=str, default=value) for name, value in values.items()}
    pipeline = build_pipeline(
        settings,
        data_root=parameters[DATA_ROOT_PARAMETER],
        train_steps=parameters[TRAIN_ARGS_PARAMETER],
        eval_steps=parameters[EVAL_ARGS_PARAMETER],
        modules_dir=f"{IMAGE_PROJECT_ROOT}/modules",
    )
    config = kubeflow_v2_dag_runner.KubeflowV2DagRunnerConfig(default_image=image)
    runner = kubeflow_v2_dag_runner.KubeflowV2DagRunner(config, str(output.parent), output.name)
    runner.run(pipeline, parameter_values=values)
    return output


def compile_airflow(settings: RunSettings, output: Path, project_root: Path = PROJECT_ROOT) -> Path:
    """Writes a DAG file that builds the pipeline with `settings` when Airflow imports it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        AIRFLOW_DAG_FILE.format(
            pipeline_name=settings.pipeline_name,
            model=settings.model.name,
            project_root_env=PROJECT_ROOT_ENV,
            project_root=str(project_root),
            settings=pprint.pformat(bake(settings), sort_dicts=False),
        )
    )
    return output


def airflow_dag(baked: Mapping[str, Any]) -> "DAG":
    """The Airflow DAG for settings a DAG file baked in: one task per pipeline node."""
    from tfx.orchestration.airflow.airflow_dag_runner import AirflowDagRunner, AirflowPipelineConfig

    from pipeline.runner import build_pipeline, create_directories

    settings = unbake(baked)
    create_directories(settings)
    config = AirflowPipelineConfig(airflow_dag_config=dict(AIRFLOW_DAG_CONFIG))
    return AirflowDagRunner(config).run(build_pipeline(settings))
