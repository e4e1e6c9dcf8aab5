"""Each model's curated schema: `modules/<model>/schema.pbtxt`, kept in the repository.

`python -m pipeline schema freeze --model M` writes a starting point from the statistics
of M's latest run: TFDV's inferred schema, plus what inference leaves out and the data
gate needs, for a person to review and tighten:
- the observed value range of every numeric feature (`float_domain`/`int_domain`),
- categorical integer labels as `int_domain { is_categorical: true }`,
- a drift and a skew comparator on every feature the gate can compare (L-infinity
  distance for categoricals, Jensen-Shannon divergence for numerics),
- a floor on presence for features with missing values,
- a bound on how much smaller a span may be than the served model's training data,
- the label(s) marked `not_in_environment: "SERVING"`, as TFDV marks labels.
The pipeline then imports the file with ImportSchemaGen instead of inferring a schema.
"""

import datetime
import hashlib
import math
from pathlib import Path
from typing import Iterable, List, Optional

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

TRAINING_ENVIRONMENT = "TRAINING"
SERVING_ENVIRONMENT = "SERVING"
# Comparator thresholds a frozen schema starts with. Drift compares a span with the data
# the served model was trained on; skew compares a span's train and eval splits, which
# are smaller, so their sampling noise is larger.
DRIFT_L_INFTY = 0.15
DRIFT_JENSEN_SHANNON = 0.1
SKEW_L_INFTY = 0.2
SKEW_JENSEN_SHANNON = 0.15
# A span smaller than this fraction of the served model's training data is stopped.
MIN_SPAN_FRACTION = 0.5
# A feature with missing values may miss this much more than it did when frozen.
PRESENCE_SLACK = 0.1
# A categorical integer label has at most this many distinct values.
MAX_CATEGORICAL_LABEL_VALUES = 1000
HEADER = """\
# Curated schema of the {model!r} model: what the data gate holds every span to.
# Frozen from the statistics of run {run!r} on {date} by `python -m pipeline schema freeze`.
# Review it before use and say what you checked in a `# Reviewed:` line (see docs/data.md);
# the pipeline re-validates with the new content on its next run.
"""


def load(path: Path) -> schema_pb2.Schema:
    return text_format.Parse(path.read_text(), schema_pb2.Schema())


def digest(path: Path) -> str:
    """SHA-256 of the schema file's bytes: ImportSchemaGen's cache key (see components/curated_schema.py)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def feature_names(schema: schema_pb2.Schema) -> List[str]:
    return [feature.name for feature in schema.feature]


def label_keys(schema: schema_pb2.Schema) -> List[str]:
    """The features marked as labels: absent from the SERVING environment."""
    return [feature.name for feature in schema.feature if SERVING_ENVIRONMENT in feature.not_in_environment]


def _numeric_stats(feature: statistics_pb2.FeatureNameStatistics) -> Optional[statistics_pb2.NumericStatistics]:
    return feature.num_stats if feature.HasField("num_stats") else None


def _present_fraction(feature: statistics_pb2.FeatureNameStatistics, examples: int) -> float:
    common = (feature.num_stats if feature.HasField("num_stats") else feature.string_stats).common_stats
    return common.num_non_missing / examples if examples else 0.0


def _floor(value: float, step: float = 0.05) -> float:
    return max(0.0, math.floor(value / step) * step)


def freeze(
    statistics: statistics_pb2.DatasetFeatureStatistics, labels: Iterable[str] = ()
) -> schema_pb2.Schema:
    """TFDV's schema for `statistics` with ranges, comparators, presence and labels (see above)."""
    import tensorflow_data_validation as tfdv

    labels = list(labels)
    schema = tfdv.infer_schema(
        statistics_pb2.DatasetFeatureStatisticsList(datasets=[statistics]), infer_feature_shape=True
    )
    observed = {feature.path.step[0] if feature.path.step else feature.name: feature for feature in statistics.features}
    for feature in schema.feature:
        stats = observed.get(feature.name)
        numeric = _numeric_stats(stats) if stats is not None else None
        categorical = feature.HasField("domain") or feature.HasField("string_domain")
        if feature.type == schema_pb2.INT and numeric is not None and feature.name in labels and (
            numeric.max - numeric.min < MAX_CATEGORICAL_LABEL_VALUES
        ):
            feature.int_domain.min, feature.int_domain.max = int(numeric.min), int(numeric.max)
            feature.int_domain.is_categorical = True
            categorical = True
        elif feature.type == schema_pb2.INT and numeric is not None:
            feature.int_domain.min, feature.int_domain.max = int(numeric.min), int(numeric.max)
        elif feature.type == schema_pb2.FLOAT and numeric is not None:
            feature.float_domain.min, feature.float_domain.max = numeric.min, numeric.max
        if categorical:
            feature.drift_comparator.infinity_norm.threshold = DRIFT_L_INFTY
            feature.skew_comparator.infinity_norm.threshold = SKEW_L_INFTY
        elif numeric is not None:
            feature.drift_comparator.jensen_shannon_divergence.threshold = DRIFT_JENSEN_SHANNON
            feature.skew_comparator.jensen_shannon_divergence.threshold = SKEW_JENSEN_SHANNON
        if stats is not None and not feature.presence.min_fraction:
            feature.presence.min_fraction = _floor(_present_fraction(stats, statistics.num_examples) - PRESENCE_SLACK)
        if feature.name in labels:
            feature.not_in_environment.append(SERVING_ENVIRONMENT)
    if labels:
        schema.default_environment.extend([TRAINING_ENVIRONMENT, SERVING_ENVIRONMENT])
    schema.dataset_constraints.num_examples_drift_comparator.min_fraction_threshold = MIN_SPAN_FRACTION
    return schema


def schema_text(schema: schema_pb2.Schema, model: str, run: str) -> str:
    header = HEADER.format(model=model, run=run, date=datetime.date.today().isoformat())
    return header + text_format.MessageToString(schema)
