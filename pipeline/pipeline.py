"""`create_pipeline`: the DAG every model runs, whatever the orchestrator."""

from typing import Any, Dict, List, Optional, Sequence, Union

import tensorflow_model_analysis as tfma
from ml_metadata.proto import metadata_store_pb2

# Components are imported from their own modules rather than through `tfx.v1`, whose
# import pulls in Google Cloud AI Platform and adds seconds to every command.
from tfx.components.evaluator.component import Evaluator
from tfx.components.example_gen.csv_example_gen.component import CsvExampleGen
from tfx.components.example_gen.import_example_gen.component import ImportExampleGen
from tfx.components.pusher.component import Pusher
from tfx.components.schema_gen.component import SchemaGen
from tfx.components.statistics_gen.component import StatisticsGen
from tfx.components.transform.component import Transform
from tfx.dsl.components.base import executor_spec
from tfx.dsl.components.common.resolver import Resolver
from tfx.dsl.input_resolution.strategies.latest_blessed_model_strategy import (
    LatestBlessedModelStrategy,
)
from tfx.orchestration import pipeline as tfx_pipeline
from tfx.orchestration.data_types import RuntimeParameter
from tfx.proto import example_gen_pb2, pusher_pb2, range_config_pb2, trainer_pb2
from tfx.types import Channel, standard_artifacts

from components import tflite_exporter, versioned_pusher
from components.curated_schema import ImportSchemaGen
from components.data_gate import DataGate
from components.data_validation import DataValidator
from components.tflite_pusher import TFLitePusher
from components.trainer import Trainer
from data.inputs import SPAN_PATTERN
from modules.common.signatures import TRANSFORMED_PREDICT
from pipeline import configs

RESOLVER_NODE_ID = "latest_blessed_model_resolver"
EXAMPLE_GENS = {"csv": CsvExampleGen, "tfrecord": ImportExampleGen}


def steps_argument(
    proto_class: type[trainer_pb2.TrainArgs] | type[trainer_pb2.EvalArgs], steps: Union[int, RuntimeParameter]
) -> Union[trainer_pb2.TrainArgs, trainer_pb2.EvalArgs, RuntimeParameter]:
    """TrainArgs/EvalArgs with `steps`, or a RuntimeParameter passed through whole.

    A proto field cannot hold a RuntimeParameter, so TFX takes a string parameter holding
    the proto as JSON (`{"num_steps": 100}`) in the proto's place.
    """
    return steps if isinstance(steps, RuntimeParameter) else proto_class(num_steps=steps)


def example_gen_input(
    spans: bool, span: Optional[int]
) -> tuple[Optional[example_gen_pb2.Input], Optional[range_config_pb2.RangeConfig]]:
    """ExampleGen's input config for a data directory: every file of a flat one, or the
    files of `span-<N>/` (the highest N, or `span`) for one that holds spans."""
    if not spans:
        return None, None
    splits = [example_gen_pb2.Input.Split(name="single_split", pattern=SPAN_PATTERN)]
    pinned = None
    if span is not None:
        pinned = range_config_pb2.RangeConfig(
            static_range=range_config_pb2.StaticRange(start_span_number=span, end_span_number=span)
        )
    return example_gen_pb2.Input(splits=splits), pinned


def create_pipeline(
    pipeline_name: str,
    pipeline_root: str,
    data_root: Union[str, RuntimeParameter],
    preprocessing_fn: str,
    run_fn: str,
    train_steps: Union[int, RuntimeParameter],
    eval_steps: Union[int, RuntimeParameter],
    eval_config: tfma.EvalConfig,
    serving_model_dir: str,
    metadata_connection_config: Optional[metadata_store_pb2.ConnectionConfig] = None,
    beam_pipeline_args: Optional[List[str]] = None,
    custom_config: Optional[Dict[str, Any]] = None,
    enable_cache: bool = True,
    example_format: str = "csv",
    serving_tflite_dir: Optional[str] = None,
    schema_file: Optional[str] = None,
    schema_sha256: str = "",
    spans: bool = False,
    span: Optional[int] = None,
    accepted_anomalies: Sequence[str] = (),
    max_duplicate_fraction: float = configs.MAX_DUPLICATE_FRACTION,
) -> tfx_pipeline.Pipeline:
    """ExampleGen -> StatisticsGen -> ImportSchemaGen (or SchemaGen) -> DataValidator ->
    DataGate -> Transform -> Trainer -> Evaluator (against the latest blessed model, from
    the Resolver) -> Pusher; with `serving_tflite_dir`, TFLiteExporter after the Trainer
    and TFLitePusher after the Pusher (see `components/tflite_exporter.py` and `components/tflite_pusher.py`).

    The data gate (`components/data_validation.py`): DataValidator checks the span
    against the schema, the served model's training data and itself, and DataGate fails
    the run on its verdict before Transform, so no bad span trains or pushes. With
    `schema_file` (the model's curated schema, `schema_sha256` its content's digest)
    ImportSchemaGen supplies the schema; without one SchemaGen infers it from the data.
    `spans` and `span` pick the input files (see `example_gen_input`);
    `accepted_anomalies` (`FEATURE:KIND`) do not stop the gate.

    `preprocessing_fn` and `run_fn` are dotted paths into `modules/`; `custom_config`
    reaches both (it carries the seed and the model code's version, see
    `ModelSpec.code_version`). `example_format` picks CsvExampleGen ("csv") or
    ImportExampleGen over TFRecords of tf.Examples ("tfrecord"). `data_root`,
    `train_steps` and `eval_steps` may be RuntimeParameters (see `steps_argument`).
    """
    input_config, range_config = example_gen_input(spans, span)
    example_gen = EXAMPLE_GENS[example_format](
        input_base=data_root,
        input_config=input_config,
        range_config=range_config,
        output_config=example_gen_pb2.Output(
            split_config=example_gen_pb2.SplitConfig(
                splits=[
                    example_gen_pb2.SplitConfig.Split(name="train", hash_buckets=configs.TRAIN_HASH_BUCKETS),
                    example_gen_pb2.SplitConfig.Split(name="eval", hash_buckets=configs.EVAL_HASH_BUCKETS),
                ]
            )
        ),
    )
    statistics_gen = StatisticsGen(examples=example_gen.outputs["examples"])
    if schema_file:
        schema_gen = ImportSchemaGen(schema_file=schema_file, schema_sha256=schema_sha256)
    else:
        schema_gen = SchemaGen(statistics=statistics_gen.outputs["statistics"], infer_feature_shape=True)
    model_resolver = Resolver(
        strategy_class=LatestBlessedModelStrategy,
        model=Channel(type=standard_artifacts.Model),
        model_blessing=Channel(type=standard_artifacts.ModelBlessing),
    ).with_id(RESOLVER_NODE_ID)
    data_validator = DataValidator(
        statistics=statistics_gen.outputs["statistics"],
        schema=schema_gen.outputs["schema"],
        examples=example_gen.outputs["examples"],
        baseline_model=model_resolver.outputs["model"],
        max_duplicate_fraction=max_duplicate_fraction,
        accepted_anomalies=tuple(accepted_anomalies),
    )
    data_gate = DataGate(anomalies=data_validator.outputs["anomalies"])
    transform = Transform(
        examples=example_gen.outputs["examples"],
        schema=schema_gen.outputs["schema"],
        preprocessing_fn=preprocessing_fn,
        custom_config=custom_config,
        # StatisticsGen already computes the raw data's statistics; Transform's own
        # pre- and post-transform statistics would repeat that work in every run.
        disable_statistics=True,
    )
    # The gate holds back Transform, and through it everything that trains or pushes.
    transform.add_upstream_node(data_gate)
    trainer = Trainer(
        run_fn=run_fn,
        examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"],
        statistics=statistics_gen.outputs["statistics"],
        train_args=steps_argument(trainer_pb2.TrainArgs, train_steps),
        eval_args=steps_argument(trainer_pb2.EvalArgs, eval_steps),
        custom_config=custom_config,
    )
    evaluator = Evaluator(
        examples=example_gen.outputs["examples"],
        model=trainer.outputs["model"],
        baseline_model=model_resolver.outputs["model"],
        eval_config=eval_config,
    )
    pusher = Pusher(
        model=trainer.outputs["model"],
        model_blessing=evaluator.outputs["blessing"],
        push_destination=pusher_pb2.PushDestination(
            filesystem=pusher_pb2.PushDestination.Filesystem(base_directory=serving_model_dir)
        ),
        custom_executor_spec=executor_spec.ExecutorClassSpec(versioned_pusher.Executor),
    )
    components = [
        example_gen,
        statistics_gen,
        schema_gen,
        model_resolver,
        data_validator,
        data_gate,
        transform,
        trainer,
        evaluator,
        pusher,
    ]
    if serving_tflite_dir is not None:
        tflite = tflite_exporter.TFLiteExporter(
            model=trainer.outputs["model"],
            transformed_examples=transform.outputs["transformed_examples"],
            transform_graph=transform.outputs["transform_graph"],
            signature_key=TRANSFORMED_PREDICT,
        )
        tflite_pusher = TFLitePusher(
            tflite_model=tflite.outputs[tflite_exporter.TFLITE_MODEL_KEY],
            pushed_model=pusher.outputs["pushed_model"],
            base_directory=serving_tflite_dir,
        )
        components += [tflite, tflite_pusher]
    return tfx_pipeline.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=pipeline_root,
        components=components,
        enable_cache=enable_cache,
        metadata_connection_config=metadata_connection_config,
        beam_pipeline_args=beam_pipeline_args,
    )
