"""`create_pipeline`: the nine-node DAG every model runs, whatever the orchestrator."""

from typing import Any, Dict, List, Optional, Union

import tensorflow_model_analysis as tfma
from ml_metadata.proto import metadata_store_pb2

# Components are imported from their own modules rather than through `tfx.v1`, whose
# import pulls in Google Cloud AI Platform and adds about 9 s to every command.
from tfx.components.evaluator.component import Evaluator
from tfx.components.example_gen.csv_example_gen.component import CsvExampleGen
from tfx.components.example_gen.import_example_gen.component import ImportExampleGen
from tfx.components.example_validator.component import ExampleValidator
from tfx.components.pusher.component import Pusher
from tfx.components.schema_gen.component import SchemaGen
from tfx.components.statistics_gen.component import StatisticsGen
from tfx.components.trainer.component import Trainer
from tfx.components.transform.component import Transform
from tfx.dsl.components.base import executor_spec
from tfx.dsl.components.common.resolver import Resolver
from tfx.dsl.input_resolution.strategies.latest_blessed_model_strategy import (
    LatestBlessedModelStrategy,
)
from tfx.orchestration import pipeline as tfx_pipeline
from tfx.orchestration.data_types import RuntimeParameter
from tfx.proto import example_gen_pb2, pusher_pb2, trainer_pb2
from tfx.types import Channel, standard_artifacts

from components import tflite_exporter, versioned_pusher
from modules.common.export import TRANSFORMED_PREDICT
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
) -> tfx_pipeline.Pipeline:
    """ExampleGen -> StatisticsGen -> SchemaGen -> ExampleValidator -> Transform -> Trainer
    -> latest-blessed-model Resolver -> Evaluator -> Pusher; with `serving_tflite_dir`,
    TFLiteExporter after the Trainer and TFLitePusher after the Pusher (see
    `components/tflite_exporter.py`).

    `preprocessing_fn` and `run_fn` are dotted paths into `modules/`; `custom_config`
    reaches both (it carries the seed and the model code's version, see
    `ModelSpec.code_version`). `example_format` picks CsvExampleGen ("csv") or
    ImportExampleGen over TFRecords of tf.Examples ("tfrecord"). `data_root`,
    `train_steps` and `eval_steps` may be RuntimeParameters (see `steps_argument`).
    """
    example_gen = EXAMPLE_GENS[example_format](
        input_base=data_root,
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
    schema_gen = SchemaGen(
        statistics=statistics_gen.outputs["statistics"], infer_feature_shape=True
    )
    example_validator = ExampleValidator(
        statistics=statistics_gen.outputs["statistics"], schema=schema_gen.outputs["schema"]
    )
    transform = Transform(
        examples=example_gen.outputs["examples"],
        schema=schema_gen.outputs["schema"],
        preprocessing_fn=preprocessing_fn,
        custom_config=custom_config,
        # StatisticsGen already computes the raw data's statistics; Transform's own
        # pre- and post-transform statistics would repeat that work (about 2 s a run).
        disable_statistics=True,
    )
    trainer = Trainer(
        run_fn=run_fn,
        examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"],
        train_args=steps_argument(trainer_pb2.TrainArgs, train_steps),
        eval_args=steps_argument(trainer_pb2.EvalArgs, eval_steps),
        custom_config=custom_config,
    )
    model_resolver = Resolver(
        strategy_class=LatestBlessedModelStrategy,
        model=Channel(type=standard_artifacts.Model),
        model_blessing=Channel(type=standard_artifacts.ModelBlessing),
    ).with_id(RESOLVER_NODE_ID)
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
        example_validator,
        transform,
        trainer,
        model_resolver,
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
        tflite_pusher = tflite_exporter.TFLitePusher(
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
