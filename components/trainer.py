"""TFX's Trainer, plus the statistics of the data it trained on, kept inside its Model.

The data gate compares each new span with the data the served model was trained on. A
Model artifact says nothing of its data on its own, and tracing it back through ML
Metadata needs the store, which an executor on Kubeflow Pipelines does not have. So this
Trainer takes StatisticsGen's output as one more input and copies it into the Model
artifact's directory (`training_statistics/Split-*/FeatureStats.pb`, beside
`Format-Serving/`, which is all the Pusher copies). The pipeline's latest-blessed-model
resolver then hands the data gate the served model and its statistics together, with
the same resolver strategy on every orchestrator.
"""

import os
from typing import Any, Dict, List, Optional, Union

from tfx import types
from tfx.components.trainer import executor as trainer_executor
from tfx.dsl.components.base import base_component, executor_spec
from tfx.orchestration.data_types import RuntimeParameter
from tfx.proto import trainer_pb2
from tfx.types import artifact_utils, standard_artifacts, standard_component_specs
from tfx.types.component_spec import ChannelParameter
from tfx.utils import io_utils, json_utils

from components.data_findings import TRAINING_STATISTICS_DIR

STATISTICS_KEY = "statistics"


class TrainerSpec(standard_component_specs.TrainerSpec):
    INPUTS = {
        **standard_component_specs.TrainerSpec.INPUTS,
        STATISTICS_KEY: ChannelParameter(type=standard_artifacts.ExampleStatistics, optional=True),
    }


class Executor(trainer_executor.GenericExecutor):
    """Trains with the user's `run_fn`, then copies the training data's statistics into the Model."""

    def Do(self, input_dict: Dict[str, List[types.Artifact]], output_dict: Dict[str, List[types.Artifact]],
           exec_properties: Dict[str, Any]) -> None:
        super().Do(input_dict, output_dict, exec_properties)
        statistics = input_dict.get(STATISTICS_KEY) or []
        if statistics:
            model = artifact_utils.get_single_instance(output_dict[standard_component_specs.MODEL_KEY])
            io_utils.copy_dir(statistics[0].uri, os.path.join(model.uri, TRAINING_STATISTICS_DIR))


class Trainer(base_component.BaseComponent):
    """TFX's Trainer (run_fn form) with a `statistics` input recorded in its Model."""

    SPEC_CLASS = TrainerSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(Executor)

    def __init__(
        self,
        examples: types.BaseChannel,
        transform_graph: types.BaseChannel,
        run_fn: str,
        train_args: Union[trainer_pb2.TrainArgs, RuntimeParameter],
        eval_args: Union[trainer_pb2.EvalArgs, RuntimeParameter],
        statistics: Optional[types.BaseChannel] = None,
        custom_config: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(
            spec=TrainerSpec(
                examples=examples,
                transform_graph=transform_graph,
                statistics=statistics,
                train_args=train_args,
                eval_args=eval_args,
                run_fn=run_fn,
                custom_config=json_utils.dumps(custom_config),
                model=types.Channel(type=standard_artifacts.Model),
                model_run=types.Channel(type=standard_artifacts.ModelRun),
            )
        )
