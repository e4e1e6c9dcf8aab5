"""Runs a pipeline locally with LocalDagRunner and reads back what it did."""

import logging
import os
from pathlib import Path
from typing import Callable, List, Optional, TextIO, Union

from ml_metadata import metadata_store
from ml_metadata.proto import metadata_store_pb2
from tfx.orchestration import pipeline as tfx_pipeline
from tfx.orchestration.data_types import RuntimeParameter
from tfx.orchestration.local.local_dag_runner import LocalDagRunner

from components.data_findings import read_verdict
from components.tflite_pusher import PUSHED_DESTINATION_PROPERTY, PUSHED_PROPERTY, PUSHED_TFLITE_KEY
from inspection import evaluation, mlmd
from modules.common.model_spec import FULL_SIZE_KEY
from pipeline import beam, schemas
from pipeline.configs import RunSettings
from pipeline.pipeline import RESOLVER_NODE_ID, create_pipeline
from pipeline.progress import ComponentProgress
from pipeline.summary import RunOutcome
from serving import layout

DATA_VALIDATOR_NODE_ID = "DataValidator"
TRAINER_NODE_ID = "Trainer"
EVALUATOR_NODE_ID = "Evaluator"
PUSHER_NODE_ID = "Pusher"
TFLITE_PUSHER_NODE_ID = "TFLitePusher"
INTERRUPTED_PROPERTY = "interrupted"
INTERRUPTED_REASON = "its run ended before this node finished (killed); a later run ran the node again"


def build_pipeline(
    settings: RunSettings,
    data_root: Union[str, RuntimeParameter, None] = None,
    train_steps: Union[int, RuntimeParameter, None] = None,
    eval_steps: Union[int, RuntimeParameter, None] = None,
    modules_dir: Optional[str] = None,
) -> tfx_pipeline.Pipeline:
    """`create_pipeline` for `settings`, the one mapping every orchestrator uses.

    A local run passes only `settings`. `compile --target kubeflow` replaces the data
    root and step counts with RuntimeParameters, so a run can change them without a
    new spec, and names where `modules/` lies in its image (`modules_dir`), where
    ImportSchemaGen reads the model's curated schema.
    """
    spec = settings.model
    schema_file = spec.schema_file if spec.schema_file.exists() else None
    if schema_file is not None and modules_dir is not None:
        schema_location = f"{modules_dir}/{schema_file.relative_to(schema_file.parents[1]).as_posix()}"
    else:
        schema_location = str(schema_file) if schema_file else None
    return create_pipeline(
        pipeline_name=settings.pipeline_name,
        pipeline_root=str(settings.paths.pipeline_root),
        data_root=str(settings.paths.data_root) if data_root is None else data_root,
        preprocessing_fn=spec.preprocessing_fn,
        run_fn=spec.run_fn,
        train_steps=settings.train_steps if train_steps is None else train_steps,
        eval_steps=settings.eval_steps if eval_steps is None else eval_steps,
        eval_config=spec.eval_config(settings.threshold, settings.max_regression),
        serving_model_dir=str(settings.paths.serving_model_dir),
        metadata_connection_config=settings.metadata_config(),
        beam_pipeline_args=settings.beam_args,
        custom_config={"seed": settings.seed, "code_version": spec.code_version(), FULL_SIZE_KEY: settings.full_size},
        enable_cache=settings.enable_cache,
        example_format=spec.example_format,
        serving_tflite_dir=None if spec.tflite_unsupported else str(settings.paths.serving_tflite_dir),
        schema_file=schema_location,
        schema_sha256=schemas.digest(schema_file) if schema_file else "",
        spans=settings.spans,
        span=settings.span,
        accepted_anomalies=settings.accepted_anomalies,
    )


def create_directories(settings: RunSettings) -> None:
    """The local directories a run writes into (TFX creates none of them itself)."""
    paths = settings.paths
    directories = [paths.pipeline_root, paths.serving_model_dir]
    if settings.metadata_mysql is None:
        directories.append(paths.metadata_path.parent)
    for directory in directories:
        directory.mkdir(parents=True, exist_ok=True)


def cancel_interrupted_executions(store: metadata_store.MetadataStore, pipeline_name: str) -> List[str]:
    """Marks the executions of `pipeline_name` an earlier run left RUNNING as CANCELED, with
    the reason in their `interrupted` property; returns their node names.

    Called holding the run lock (`pipeline/run_lock.py`), so no other run of this pipeline
    is alive: a RUNNING execution is one whose run was killed. TFX never reuses it (only
    COMPLETE and CACHED executions are cached), so the node simply runs again; marking it
    keeps `inspect runs` and the report from showing a node as running forever.
    """
    context = store.get_context_by_type_and_name(mlmd.PIPELINE_CONTEXT_TYPE, pipeline_name)
    if context is None:
        return []
    running = [
        execution
        for execution in store.get_executions_by_context(context.id)
        if execution.last_known_state == metadata_store_pb2.Execution.RUNNING
    ]
    for execution in running:
        execution.last_known_state = metadata_store_pb2.Execution.CANCELED
        execution.custom_properties[INTERRUPTED_PROPERTY].string_value = INTERRUPTED_REASON
    if running:
        store.put_executions(running)
    return [mlmd.node_id_of(store, pipeline_name, execution.id) for execution in running]


def _error_text(error: BaseException) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"[:600]


def run_local(settings: RunSettings, terminal: TextIO, log_path: Path) -> RunOutcome:
    """Runs every node with LocalDagRunner and reads back what happened.

    Called inside `progress.captured_output(log_path)`: `terminal` gets one line per
    node as it starts and ends, everything else goes to the log. The input data must
    already be prepared under `settings.paths.data_root`.
    """
    create_directories(settings)
    outcome = RunOutcome(settings.pipeline_name, log_path, tflite_unsupported=settings.model.tflite_unsupported)
    pipeline = build_pipeline(settings)
    node_ids = [component.id for component in pipeline.components]
    store = mlmd.open_store(settings.metadata_config())
    interrupted = cancel_interrupted_executions(store, settings.pipeline_name)
    if interrupted:
        print(f"An earlier run was interrupted in {', '.join(interrupted)}: marked CANCELED; "
              "what it finished is reused", file=terminal, flush=True)
    first_id = mlmd.max_execution_id(store)

    def execution_of(node_id: str):
        return mlmd.latest_node_execution(store, settings.pipeline_name, node_id, first_id)

    def state_of(node_id: str) -> str:
        execution = execution_of(node_id)
        return mlmd.state_name(execution) if execution else "NOT RUN"

    progress = ComponentProgress(terminal, node_ids, state_of)
    absl_logger = logging.getLogger("absl")
    absl_logger.addHandler(progress)
    try:
        with beam.no_tfx_packaging_for_direct_runner():
            LocalDagRunner().run(pipeline)
    except Exception as error:  # a node failed: TFX has recorded it as FAILED in MLMD
        if progress.running:
            progress.finish(progress.running, "FAILED")
        outcome.error = _error_text(error)
        logging.exception("pipeline run failed")
    finally:
        absl_logger.removeHandler(progress)

    outcome.changed_nothing = outcome.succeeded and all(
        state_of(node_id) == "CACHED" for node_id in node_ids if node_id != RESOLVER_NODE_ID
    )
    recorded = [e for e in map(execution_of, node_ids) if e is not None]
    outcome.run_id = mlmd.run_id_of(store, recorded[0].id) if recorded else None
    _read_outputs(store, settings, execution_of, outcome, example_gen_id=node_ids[0])
    served = layout.versions(settings.paths.serving_model_dir)
    outcome.serving_version = settings.paths.serving_model_dir / str(served[-1]) if served else None
    return outcome


def _read_outputs(
    store: metadata_store.MetadataStore,
    settings: RunSettings,
    execution_of: Callable[[str], Optional[metadata_store_pb2.Execution]],
    outcome: RunOutcome,
    example_gen_id: str,
) -> None:
    example_gen = execution_of(example_gen_id)
    if example_gen is not None and mlmd.state_name(example_gen) in mlmd.FINISHED_STATES:
        examples = mlmd.output_artifacts(store, example_gen.id)["examples"][0]
        outcome.span = examples.custom_properties["span"].int_value
    validator = execution_of(DATA_VALIDATOR_NODE_ID)
    if validator is not None and mlmd.state_name(validator) in mlmd.FINISHED_STATES:
        outcome.verdict = read_verdict(mlmd.output_artifacts(store, validator.id)["anomalies"][0].uri)
    trainer = execution_of(TRAINER_NODE_ID)
    if trainer is not None and mlmd.state_name(trainer) in mlmd.FINISHED_STATES:
        from modules.common.trainer import read_report

        outcome.model_report = read_report(mlmd.output_artifacts(store, trainer.id)["model_run"][0].uri)
    evaluator = execution_of(EVALUATOR_NODE_ID)
    if evaluator is None or mlmd.state_name(evaluator) not in mlmd.FINISHED_STATES:
        return
    outputs = mlmd.output_artifacts(store, evaluator.id)
    outcome.evaluation = evaluation.read_evaluation(
        outputs["evaluation"][0].uri, outputs["blessing"][0].uri, list(settings.model.summary_metrics)
    )
    pusher = execution_of(PUSHER_NODE_ID)
    if pusher is None or mlmd.state_name(pusher) not in mlmd.FINISHED_STATES:
        return
    pushed = mlmd.output_artifacts(store, pusher.id)["pushed_model"][0]
    if pushed.custom_properties["pushed"].int_value == 1:
        outcome.pushed_path = pushed.custom_properties["pushed_destination"].string_value
        outcome.reused_version = pushed.custom_properties["reused_version"].int_value == 1
    tflite_pusher = execution_of(TFLITE_PUSHER_NODE_ID)
    if tflite_pusher is None or mlmd.state_name(tflite_pusher) not in mlmd.FINISHED_STATES:
        return
    pushed_tflite = mlmd.output_artifacts(store, tflite_pusher.id)[PUSHED_TFLITE_KEY][0]
    if pushed_tflite.custom_properties[PUSHED_PROPERTY].int_value == 1:
        destination = pushed_tflite.custom_properties[PUSHED_DESTINATION_PROPERTY].string_value
        outcome.tflite_pushed_path = destination
        outcome.tflite_files = sorted(os.listdir(destination))
