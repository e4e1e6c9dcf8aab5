"""The data gate's first node: DataValidator judges a span of data (DataGate, in
`components/data_gate.py`, stops the run on its verdict).

TFX's ExampleValidator checks statistics against a schema only: it never compares them
with earlier data, and it never stops a run. Here the check has two nodes:

- DataValidator never fails. It validates each split's statistics against the schema
  (TFDV), the train split against the statistics of the data the served model was
  trained on (drift: the schema's `drift_comparator`s and `num_examples_drift_comparator`)
  and against the eval split (skew: the `skew_comparator`s), and counts exact duplicate
  examples. It writes every finding to `findings.json` (and TFDV's Anomalies protos to
  `Split-<name>/SchemaDiff.pb`, where TFX's tools look) and records its verdict as the
  artifact's custom properties, so ML Metadata holds the decision and its reasons.
- DataGate fails when the verdict is "stopped". Transform runs after it, so on every
  orchestrator (LocalDagRunner, Kubeflow Pipelines, Airflow) nothing that transforms,
  trains, evaluates or pushes runs on data the validator refused.

A person can accept a finding for one run (`FEATURE:KIND`, e.g. `body_mass_g:DRIFT`);
accepted findings are recorded with the verdict and do not stop the gate.

The baseline statistics travel with the model: `components.trainer.Trainer` copies the
statistics of the data it trained on into its Model artifact, and the pipeline hands the
validator the latest blessed model, whose statistics are then "the data the served model
was trained on".
"""

import json
import os
from typing import Any, Dict, List, Optional, Tuple

from tfx import types
from tfx.dsl.components.base import base_component, base_executor, executor_spec
from tfx.types import artifact_utils, standard_artifacts
from tfx.types.component_spec import ChannelParameter, ComponentSpec, ExecutionParameter
from tfx.utils import io_utils, json_utils

from components.data_findings import (
    ACCEPTED_PROPERTY,
    ANOMALIES_FILE,
    BASELINE_PROPERTY,
    FINDINGS_FILE,
    FINDINGS_PROPERTY,
    GATE_PROPERTY,
    SPAN_PROPERTY,
    TRAINING_STATISTICS_DIR,
    judge,
    read_split_statistics,
)

STATISTICS_KEY = "statistics"
SCHEMA_KEY = "schema"
EXAMPLES_KEY = "examples"
# Records fingerprinted at a time when counting duplicates, and the fingerprints' range.
DUPLICATE_COUNT_BATCH = 8192
FINGERPRINT_BUCKETS = 2**63 - 1
BASELINE_MODEL_KEY = "baseline_model"
ANOMALIES_KEY = "anomalies"
ACCEPTED_KEY = "accepted_anomalies"
MAX_DUPLICATE_FRACTION_KEY = "max_duplicate_fraction"


def span_of(examples: types.Artifact) -> int:
    """The span ExampleGen read: it records it as a custom property of its Examples."""
    if examples.has_custom_property(SPAN_PROPERTY):
        return examples.get_int_custom_property(SPAN_PROPERTY)
    return int(examples.span or 0)


def count_duplicates(split_dir: str) -> Tuple[int, int]:
    """(examples that repeat an earlier one byte for byte, examples) in one split's TFRecords.

    Each record becomes a 63-bit FarmHash fingerprint inside tf.data, a batch at a time, so
    no record reaches Python and memory is 8 bytes a row; two different records share a
    fingerprint about once in 10^7 splits of a million rows. (A Python loop over the
    records took 20 s for 75,000 rows: bench/results/scale.md.)
    """
    import numpy as np
    import tensorflow as tf

    files = sorted(tf.io.gfile.glob(os.path.join(split_dir, "*")))
    fingerprints = (
        tf.data.TFRecordDataset(files, compression_type="GZIP")
        .batch(DUPLICATE_COUNT_BATCH)
        .map(lambda records: tf.strings.to_hash_bucket_fast(records, FINGERPRINT_BUCKETS))
    )
    parts = list(fingerprints.as_numpy_iterator())
    every = np.concatenate(parts) if parts else np.empty(0, np.int64)
    return int(every.size - np.unique(every).size), int(every.size)


class ValidatorExecutor(base_executor.BaseExecutor):
    """Writes the verdict and its findings; never raises on bad data (see the module docstring)."""

    def Do(self, input_dict: Dict[str, List[types.Artifact]], output_dict: Dict[str, List[types.Artifact]],
           exec_properties: Dict[str, Any]) -> None:
        statistics_artifact = artifact_utils.get_single_instance(input_dict[STATISTICS_KEY])
        examples = artifact_utils.get_single_instance(input_dict[EXAMPLES_KEY])
        schema = io_utils.SchemaReader().read(
            io_utils.get_only_uri_in_dir(artifact_utils.get_single_uri(input_dict[SCHEMA_KEY]))
        )
        baseline_models = input_dict.get(BASELINE_MODEL_KEY) or []
        baseline_uri = os.path.join(baseline_models[0].uri, TRAINING_STATISTICS_DIR) if baseline_models else ""
        baseline = read_split_statistics(baseline_uri) if baseline_uri else {}
        statistics = read_split_statistics(statistics_artifact.uri)
        duplicates = {
            split: count_duplicates(artifact_utils.get_split_uri([examples], split))
            for split in artifact_utils.decode_split_names(examples.split_names)
        }
        verdict, protos = judge(
            statistics,
            schema,
            baseline=baseline or None,
            duplicates=duplicates,
            max_duplicate_fraction=float(exec_properties[MAX_DUPLICATE_FRACTION_KEY]),
            accepted=tuple(json_utils.loads(exec_properties.get(ACCEPTED_KEY) or "[]")),
            span=span_of(examples),
            baseline_uri=baseline_uri if baseline else "",
        )
        output = artifact_utils.get_single_instance(output_dict[ANOMALIES_KEY])
        output.split_names = artifact_utils.encode_split_names(list(protos))
        output.span = verdict.span
        for split, anomalies in protos.items():
            split_dir = artifact_utils.get_split_uri([output], split)
            os.makedirs(split_dir, exist_ok=True)
            io_utils.write_bytes_file(os.path.join(split_dir, ANOMALIES_FILE), anomalies.SerializeToString())
        io_utils.write_string_file(
            os.path.join(output.uri, FINDINGS_FILE), json.dumps(verdict.to_json(), indent=1, sort_keys=True)
        )
        output.set_string_custom_property(GATE_PROPERTY, verdict.gate)
        output.set_int_custom_property(FINDINGS_PROPERTY, len(verdict.open_findings))
        output.set_string_custom_property(ACCEPTED_PROPERTY, ",".join(verdict.accepted))
        output.set_string_custom_property(BASELINE_PROPERTY, verdict.baseline)


class DataValidatorSpec(ComponentSpec):
    PARAMETERS = {
        ACCEPTED_KEY: ExecutionParameter(type=str, optional=True),
        MAX_DUPLICATE_FRACTION_KEY: ExecutionParameter(type=float),
    }
    INPUTS = {
        STATISTICS_KEY: ChannelParameter(type=standard_artifacts.ExampleStatistics),
        SCHEMA_KEY: ChannelParameter(type=standard_artifacts.Schema),
        EXAMPLES_KEY: ChannelParameter(type=standard_artifacts.Examples),
        BASELINE_MODEL_KEY: ChannelParameter(type=standard_artifacts.Model, optional=True),
    }
    OUTPUTS = {ANOMALIES_KEY: ChannelParameter(type=standard_artifacts.ExampleAnomalies)}


class DataValidator(base_component.BaseComponent):
    """Validates a span's statistics against the schema, the served model's data and itself."""

    SPEC_CLASS = DataValidatorSpec
    EXECUTOR_SPEC = executor_spec.ExecutorClassSpec(ValidatorExecutor)

    def __init__(
        self,
        statistics: types.BaseChannel,
        schema: types.BaseChannel,
        examples: types.BaseChannel,
        max_duplicate_fraction: float,
        baseline_model: Optional[types.BaseChannel] = None,
        accepted_anomalies: Tuple[str, ...] = (),
    ) -> None:
        super().__init__(
            spec=DataValidatorSpec(
                statistics=statistics,
                schema=schema,
                examples=examples,
                baseline_model=baseline_model,
                max_duplicate_fraction=max_duplicate_fraction,
                accepted_anomalies=json_utils.dumps(sorted(accepted_anomalies)),
                anomalies=types.Channel(type=standard_artifacts.ExampleAnomalies),
            )
        )
