"""`compile` for every model: the Kubeflow v2 spec and an Airflow DAG that a real DagBag imports.

All models compile in this process (the Kubeflow runner's imports are paid once); the
DAG files are imported by Airflow in one fresh process, outside the project directory
and without PYTHONPATH, as a scheduler would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from components.tflite_exporter import TFLiteExporter
from components.tflite_pusher import TFLitePusher
from pipeline import cli, orchestrators, schemas
from pipeline.models import MODELS
from pipeline.pipeline import RESOLVER_NODE_ID

IMAGE = "registry.example/tfx-pipeline:1.0"
EXAMPLE_GEN_NODE_IDS = {"csv": "CsvExampleGen", "tfrecord": "ImportExampleGen"}
EXAMPLE_GEN = "EXAMPLE_GEN"  # stands for the model's ExampleGen node in UPSTREAM
# The nodes and what each waits for: the data gate holds back Transform, and through it
# everything that trains, evaluates or pushes.
UPSTREAM = {
    EXAMPLE_GEN: set(),
    "StatisticsGen": {EXAMPLE_GEN},
    "ImportSchemaGen": set(),
    RESOLVER_NODE_ID: set(),
    "DataValidator": {"StatisticsGen", "ImportSchemaGen", EXAMPLE_GEN, RESOLVER_NODE_ID},
    "DataGate": {"DataValidator"},
    "Transform": {EXAMPLE_GEN, "ImportSchemaGen", "DataGate"},
    "Trainer": {"Transform", "StatisticsGen"},
    "Evaluator": {EXAMPLE_GEN, "Trainer", RESOLVER_NODE_ID},
    "Pusher": {"Trainer", "Evaluator"},
}
# The TFLite nodes, for every model that does not opt out (`ModelSpec.tflite_unsupported`).
TFLITE_UPSTREAM = {
    TFLiteExporter.__name__: {"Trainer", "Transform"},
    TFLitePusher.__name__: {TFLiteExporter.__name__, "Pusher"},
}
# Kubeflow v2 splits the latest-blessed-model Resolver into two queries: blessings, then
# the model they bless; the Evaluator waits for the second.
KFP_BLESSING_QUERY = f"{RESOLVER_NODE_ID}-model-blessing-resolver"
KFP_MODEL_QUERY = f"{RESOLVER_NODE_ID}-model-resolver"
DAGBAG_SCRIPT = """
import json, sys
from airflow.models import DagBag
bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
graphs = {dag_id: {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks} for dag_id, dag in bag.dags.items()}
print(json.dumps({"import_errors": bag.import_errors, "graphs": graphs}))
"""


def expected_upstream(model: str) -> dict[str, set[str]]:
    spec = MODELS[model]
    rename = {EXAMPLE_GEN: EXAMPLE_GEN_NODE_IDS[spec.example_format]}
    upstream = UPSTREAM if spec.tflite_unsupported else {**UPSTREAM, **TFLITE_UPSTREAM}
    return {rename.get(node, node): {rename.get(up, up) for up in ups} for node, ups in upstream.items()}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """Every model compiled for both targets into one directory, through the CLI."""
    base = tmp_path_factory.mktemp("compiled")
    for model in MODELS:
        common = ["--model", model, "--output-dir", str(base / "out")]
        kubeflow = ["--target", "kubeflow", "--image", IMAGE, "--output", str(base / "kubeflow" / f"{model}.json")]
        airflow = ["--target", "airflow", "--output", str(base / "dags" / f"{model}_dag.py")]
        assert cli.main(["compile", *kubeflow, *common]) == 0
        assert cli.main(["compile", *airflow, *common]) == 0
    return base


@pytest.fixture(scope="module")
def dagbag(compiled: Path, tmp_path_factory) -> dict:
    """What a real Airflow DagBag made of the DAG files: import errors and task graphs."""
    airflow_home = tmp_path_factory.mktemp("airflow_home")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        # A DAG file imports TensorFlow and TFX: far more than Airflow's default 30 s on a busy CPU.
        AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT="600",
    )
    completed = subprocess.run(
        [sys.executable, "-c", DAGBAG_SCRIPT, str(compiled / "dags")],
        cwd=airflow_home, env=env, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def compile_penguin_for_kubeflow(tmp_path: Path, *extra: str) -> int:
    """`compile --target kubeflow` for penguin into `tmp_path`: the CLI's exit status."""
    output = ["--output", str(tmp_path / "kubeflow" / "penguin.json"), "--output-dir", str(tmp_path / "out")]
    return cli.main(["compile", "--target", "kubeflow", "--image", IMAGE, *output, *extra])


def kubeflow_spec(compiled: Path, model: str) -> dict:
    return json.loads((compiled / "kubeflow" / f"{model}.json").read_text())


@pytest.mark.parametrize("model", sorted(MODELS))
def test_kubeflow_spec_has_every_node_and_its_dependencies(compiled, model):
    tasks = kubeflow_spec(compiled, model)["pipelineSpec"]["root"]["dag"]["tasks"]
    expected = expected_upstream(model)
    del expected[RESOLVER_NODE_ID]
    for node in ("Evaluator", "DataValidator"):
        expected[node] = expected[node] - {RESOLVER_NODE_ID} | {KFP_MODEL_QUERY}
    expected[KFP_BLESSING_QUERY] = set()
    expected[KFP_MODEL_QUERY] = set()
    assert {name: set(task.get("dependentTasks", [])) for name, task in tasks.items()} == expected
    model_query_input = tasks[KFP_MODEL_QUERY]["inputs"]["artifacts"]["input"]["taskOutputArtifact"]
    assert model_query_input["producerTask"] == KFP_BLESSING_QUERY


@pytest.mark.parametrize("model", sorted(MODELS))
def test_kubeflow_spec_runs_the_image_with_runtime_parameters(compiled, model):
    spec = kubeflow_spec(compiled, model)
    pipeline_spec = spec["pipelineSpec"]
    containers = [e["container"] for e in pipeline_spec["deploymentSpec"]["executors"].values() if "container" in e]
    # every node but the Resolver, which KFP answers with metadata queries
    assert len(containers) == len(expected_upstream(model)) - 1
    assert {container["image"] for container in containers} == {IMAGE}

    parameters = (orchestrators.DATA_ROOT_PARAMETER, orchestrators.TRAIN_ARGS_PARAMETER, orchestrators.EVAL_ARGS_PARAMETER)
    assert set(pipeline_spec["root"]["inputDefinitions"]["parameters"]) == set(parameters)
    values = spec["runtimeConfig"]["parameters"]
    assert values[orchestrators.DATA_ROOT_PARAMETER]["stringValue"] == str(compiled / "out" / "data" / model)
    assert pipeline_spec["pipelineInfo"]["name"] == orchestrators.kubeflow_pipeline_name(model)
    assert json.loads(values[orchestrators.TRAIN_ARGS_PARAMETER]["stringValue"]) == {"num_steps": MODELS[model].train_steps}
    assert json.loads(values[orchestrators.EVAL_ARGS_PARAMETER]["stringValue"]) == {"num_steps": MODELS[model].eval_steps}

    tasks = pipeline_spec["root"]["dag"]["tasks"]
    example_gen = EXAMPLE_GEN_NODE_IDS[MODELS[model].example_format]
    assert tasks[example_gen]["inputs"]["parameters"]["input_base"] == {
        "componentInputParameter": orchestrators.DATA_ROOT_PARAMETER
    }
    schema_inputs = tasks["ImportSchemaGen"]["inputs"]["parameters"]
    image_schema = f"{orchestrators.IMAGE_PROJECT_ROOT}/modules/{MODELS[model].name}/schema.pbtxt"
    assert schema_inputs["schema_file"]["runtimeValue"]["constantValue"]["stringValue"] == image_schema
    digest = schema_inputs["schema_sha256"]["runtimeValue"]["constantValue"]["stringValue"]
    assert digest == schemas.digest(MODELS[model].schema_file)
    trainer_inputs = tasks["Trainer"]["inputs"]["parameters"]
    assert trainer_inputs["train_args"] == {"componentInputParameter": orchestrators.TRAIN_ARGS_PARAMETER}
    assert trainer_inputs["eval_args"] == {"componentInputParameter": orchestrators.EVAL_ARGS_PARAMETER}


def test_kubeflow_spec_carries_the_chosen_beam_runner(tmp_path):
    dataflow = ["--beam-arg=--project=p1", "--beam-arg=--region=europe-west4", "--beam-arg=--temp_location=gs://b/tmp"]
    assert compile_penguin_for_kubeflow(tmp_path, "--beam-runner", "dataflow", *dataflow) == 0
    executors = kubeflow_spec(tmp_path, "penguin")["pipelineSpec"]["deploymentSpec"]["executors"]
    transform_args = executors["Transform_executor"]["container"]["args"]
    for arg in ["--runner=DataflowRunner", "--project=p1", "--region=europe-west4", "--temp_location=gs://b/tmp"]:
        assert arg in transform_args


def test_airflow_dagbag_imports_every_dag_file_without_errors(dagbag):
    assert dagbag["import_errors"] == {}
    assert set(dagbag["graphs"]) == set(MODELS)  # one DAG per model, named like its pipeline


@pytest.mark.parametrize("model", sorted(MODELS))
def test_airflow_dag_has_one_task_per_node_with_its_upstream(dagbag, model):
    graph = {task: set(upstream) for task, upstream in dagbag["graphs"][model].items()}
    assert graph == expected_upstream(model)


def test_airflow_dag_file_bakes_in_the_settings(compiled):
    text = (compiled / "dags" / "penguin_dag.py").read_text()
    assert f"'train_steps': {MODELS['penguin'].train_steps}" in text
    assert f"os.environ.get({orchestrators.PROJECT_ROOT_ENV!r}, {str(orchestrators.PROJECT_ROOT)!r})" in text


def test_compile_for_kubeflow_refuses_a_missing_image(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(orchestrators.IMAGE_ENV, raising=False)
    output = tmp_path / "spec.json"
    assert cli.main(["compile", "--target", "kubeflow", "--output", str(output), "--output-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "--image" in error and f"${orchestrators.IMAGE_ENV}" in error
    assert not output.exists()
    monkeypatch.setenv(orchestrators.IMAGE_ENV, "  ")
    assert cli.main(["compile", "--target", "kubeflow", "--output", str(output), "--output-dir", str(tmp_path)]) == 2


def test_image_comes_from_the_flag_then_the_environment():
    assert orchestrators.kubeflow_image("a/b:1", environ={orchestrators.IMAGE_ENV: "c/d:2"}) == "a/b:1"
    assert orchestrators.kubeflow_image(None, environ={orchestrators.IMAGE_ENV: "c/d:2"}) == "c/d:2"


def test_kubeflow_refuses_a_pipeline_name_it_cannot_take(tmp_path, capsys):
    assert compile_penguin_for_kubeflow(tmp_path, "--pipeline-name", "my_penguin") == 2
    assert "pipeline name 'my_penguin': Kubeflow Pipelines takes lowercase letters" in capsys.readouterr().err


def test_kubeflow_refuses_a_mysql_metadata_store(tmp_path, capsys):
    assert compile_penguin_for_kubeflow(tmp_path, "--metadata-mysql", "db:3306/mlmd") == 2
    assert "Kubeflow Pipelines records ML Metadata in its own store" in capsys.readouterr().err


def test_a_data_root_of_spans_compiles_to_the_span_pattern(tmp_path):
    (tmp_path / "data" / "span-1").mkdir(parents=True)
    (tmp_path / "data" / "span-1" / "data.csv").write_text("species\nAdelie\n")
    assert compile_penguin_for_kubeflow(tmp_path, "--data", str(tmp_path / "data")) == 0
    tasks = kubeflow_spec(tmp_path, "penguin")["pipelineSpec"]["root"]["dag"]["tasks"]
    parameter = tasks["CsvExampleGen"]["inputs"]["parameters"]["input_config"]["runtimeValue"]["constantValue"]
    input_config = json.loads(parameter["stringValue"])
    assert input_config["splits"] == [{"name": "single_split", "pattern": "span-{SPAN}/*"}]
    values = kubeflow_spec(tmp_path, "penguin")["runtimeConfig"]["parameters"]
    assert values[orchestrators.DATA_ROOT_PARAMETER]["stringValue"] == str(tmp_path / "data")
