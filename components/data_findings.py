"""What the data gate finds and decides, in plain words: findings, the verdict, `findings.json`.

`judge` turns TFDV's anomalies (schema, drift and skew) and duplicate counts into findings
a person can read, and the verdict the gate acts on. No TFX import: the run summary, the
report and `inspect` read verdicts through this module without loading TFX; TFDV is
imported only where statistics are judged.
"""

import json
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

TRAIN_SPLIT = "train"
EVAL_SPLIT = "eval"
STATISTICS_FILE = "FeatureStats.pb"
ANOMALIES_FILE = "SchemaDiff.pb"
FINDINGS_FILE = "findings.json"
# Where components.trainer.Trainer keeps the statistics of its training data in a Model.
TRAINING_STATISTICS_DIR = "training_statistics"

# The verdict, as custom properties of the ExampleAnomalies artifact.
GATE_PROPERTY = "gate"
FINDINGS_PROPERTY = "findings"
ACCEPTED_PROPERTY = "accepted"
BASELINE_PROPERTY = "baseline"
PASSED = "passed"
STOPPED = "stopped"
DATASET = "dataset"  # the "feature" of a finding about the whole split
SPAN_PROPERTY = "span"

# Coarse kinds a person names to accept a finding (TFDV's reason name works too).
DRIFT, SKEW, SIZE, DUPLICATES = "DRIFT", "SKEW", "SIZE", "DUPLICATES"
MISSING, DOMAIN, RANGE, SHAPE, TYPE, NEW_FEATURE, OTHER = (
    "MISSING", "DOMAIN", "RANGE", "SHAPE", "TYPE", "NEW_FEATURE", "OTHER",
)
_KINDS_BY_REASON = {
    MISSING: (
        "SCHEMA_MISSING_COLUMN", "FEATURE_TYPE_NOT_PRESENT", "FEATURE_TYPE_LOW_FRACTION_PRESENT",
        "FEATURE_TYPE_LOW_NUMBER_PRESENT", "FEATURE_TYPE_NO_VALUES",
        # CsvExampleGen writes an empty cell as a feature with no values, so a missing cell
        # shows as "fewer values than expected".
        "FEATURE_TYPE_LOW_NUMBER_VALUES",
    ),
    DOMAIN: ("ENUM_TYPE_UNEXPECTED_STRING_VALUES", "BOOL_TYPE_UNEXPECTED_STRING", "BOOL_TYPE_UNEXPECTED_FLOAT"),
    RANGE: (
        "FLOAT_TYPE_BIG_FLOAT", "FLOAT_TYPE_SMALL_FLOAT", "INT_TYPE_BIG_INT", "INT_TYPE_SMALL_INT",
        "BOOL_TYPE_BIG_INT", "BOOL_TYPE_SMALL_INT", "FLOAT_TYPE_HAS_NAN", "FLOAT_TYPE_HAS_INF",
    ),
    SHAPE: (
        "FEATURE_TYPE_HIGH_NUMBER_VALUES", "FEATURE_TYPE_UNEXPECTED_REPEATED",
        "INVALID_FEATURE_SHAPE",
    ),
    SIZE: (
        "COMPARATOR_LOW_NUM_EXAMPLES", "COMPARATOR_HIGH_NUM_EXAMPLES", "DATASET_LOW_NUM_EXAMPLES",
        "DATASET_HIGH_NUM_EXAMPLES", "NO_DATA_IN_SPAN",
    ),
    NEW_FEATURE: ("SCHEMA_NEW_COLUMN",),
}
KIND_OF_REASON = {reason: kind for kind, reasons in _KINDS_BY_REASON.items() for reason in reasons}
KINDS = (DRIFT, SKEW, SIZE, DUPLICATES, MISSING, DOMAIN, RANGE, SHAPE, TYPE, NEW_FEATURE, OTHER)
COMPARATOR_PREFIX = "COMPARATOR_"


@dataclass
class Finding:
    """One thing wrong with a split: TFDV's reason and description, or our duplicate count."""

    split: str
    feature: str
    kind: str
    reason: str
    description: str
    accepted: bool = False

    def matches(self, acceptance: str) -> bool:
        """`FEATURE:KIND` (KIND a coarse kind or TFDV's reason name) names this finding."""
        feature, _, kind = acceptance.partition(":")
        return feature == self.feature and kind.upper() in (self.kind, self.reason)

    def line(self) -> str:
        """`train  body_mass_g  RANGE  Unexpectedly large value: 6.3e+06.`"""
        note = " (accepted)" if self.accepted else ""
        return f"{self.split}  {self.feature}  {self.kind}{note}  {self.description}"


@dataclass
class Verdict:
    """What DataValidator decided about one span, as `findings.json` holds it."""

    gate: str
    span: int
    findings: List[Finding]
    accepted: List[str]
    baseline: str = ""
    # {split: [duplicate examples, examples]}
    duplicates: Dict[str, List[int]] = field(default_factory=dict)
    # [{"split", "feature", "comparison": "drift"|"skew", "measure", "value", "threshold"}]
    measurements: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return self.gate == STOPPED

    @property
    def open_findings(self) -> List[Finding]:
        return [finding for finding in self.findings if not finding.accepted]

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "Verdict":
        return cls(**{**document, "findings": [Finding(**item) for item in document["findings"]]})


def read_verdict(anomalies_uri: str) -> Optional[Verdict]:
    """The verdict DataValidator wrote under `anomalies_uri`; None for ExampleValidator's output."""
    path = os.path.join(anomalies_uri, FINDINGS_FILE)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return Verdict.from_json(json.load(handle))


def kind_of(reason: str, comparison: str = "") -> str:
    """The coarse kind of a TFDV reason; comparator reasons are the comparison's (DRIFT, SKEW)."""
    if reason in KIND_OF_REASON:
        return KIND_OF_REASON[reason]
    if reason.startswith(COMPARATOR_PREFIX):
        return comparison or OTHER
    if "TYPE" in reason or "EXPECTED" in reason:
        return TYPE
    return OTHER


RANGE_ENDS = {"BIG": "max", "SMALL": "min"}


def observed_feature(
    statistics: statistics_pb2.DatasetFeatureStatistics, feature: str
) -> Optional[statistics_pb2.FeatureNameStatistics]:
    return next((f for f in statistics.features if list(f.path.step) == [feature] or f.name == feature), None)


def range_text(
    schema: schema_pb2.Schema, statistics: statistics_pb2.DatasetFeatureStatistics, feature: str, reason: str
) -> Optional[str]:
    """`out of range [2700, 6300]: max 6.3e+06`, from the schema's domain and the split's
    statistics, for a value TFDV found too big or too small; None otherwise."""
    end = next((text for key, text in RANGE_ENDS.items() if f"_{key}_" in reason), None)
    declared = next((f for f in schema.feature if f.name == feature), None)
    observed = observed_feature(statistics, feature)
    if end is None or declared is None or observed is None or not observed.HasField("num_stats"):
        return None
    domain = declared.float_domain if declared.HasField("float_domain") else declared.int_domain
    return f"out of range {bounds_text(domain)}: {end} {getattr(observed.num_stats, end):g}"


def bounds_text(domain: schema_pb2.FloatDomain | schema_pb2.IntDomain) -> str:
    """`[2700, 6300]`, `[0, inf]`: a schema domain's bounds, an unset one unbounded."""
    low = f"{domain.min:g}" if domain.HasField("min") else "-inf"
    high = f"{domain.max:g}" if domain.HasField("max") else "inf"
    return f"[{low}, {high}]"


def missing_text(statistics: statistics_pb2.DatasetFeatureStatistics, feature: str) -> Optional[str]:
    """`12 of 266 examples have no value`, for a single-valued feature some examples lack
    (an empty CSV cell is a feature with no values); None when every example has one."""
    observed = observed_feature(statistics, feature)
    if observed is None:
        return None
    kind = observed.WhichOneof("stats")
    common = getattr(observed, kind).common_stats if kind in ("num_stats", "string_stats", "bytes_stats") else None
    if common is None or common.max_num_values > 1:
        return None
    lacking = common.num_missing + common.num_non_missing - common.tot_num_values
    if lacking <= 0:
        return None
    return f"{lacking} of {statistics.num_examples} examples have no value"


COMPARATOR_DESCRIPTION = re.compile(
    r"is (?P<value>[-+.\deE]+) \(up to six significant digits\), above the threshold (?P<threshold>[-+.\deE]+)\."
    r"(?: The feature value with maximum difference is: (?P<value_name>.*))?"
)
MEASURES = {
    "COMPARATOR_L_INFTY_HIGH": "L-infinity distance",
    "COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH": "Jensen-Shannon divergence",
    "COMPARATOR_NORMALIZED_ABSOLUTE_DIFFERENCE_HIGH": "normalized absolute difference",
}
COMPARED_WITH = {DRIFT: "from the served model's training data", SKEW: "between the train and eval splits"}


def comparator_text(reason: str, kind: str, description: str) -> str:
    """`L-infinity distance 0.333 from the served model's training data (threshold 0.15);
    most changed: Adelie`, from TFDV's longer sentence; the sentence itself if it differs."""
    match = COMPARATOR_DESCRIPTION.search(description)
    if match is None or reason not in MEASURES or kind not in COMPARED_WITH:
        return description
    text = (
        f"{MEASURES[reason]} {float(match['value']):.3g} {COMPARED_WITH[kind]} "
        f"(threshold {float(match['threshold']):g})"
    )
    return text + (f"; most changed: {match['value_name']}" if match["value_name"] else "")


def findings_of(
    anomalies: anomalies_pb2.Anomalies,
    split: str,
    comparison: str = "",
    schema: Optional[schema_pb2.Schema] = None,
    statistics: Optional[statistics_pb2.DatasetFeatureStatistics] = None,
) -> List[Finding]:
    """Each reason of each anomaly TFDV reported, one Finding apiece (a range finding
    described by `range_text` where the schema and statistics are given)."""
    found = []
    infos = sorted(anomalies.anomaly_info.items())
    if anomalies.HasField("dataset_anomaly_info"):
        infos.append((DATASET, anomalies.dataset_anomaly_info))
    for feature, info in infos:
        for reason in info.reason:
            name = anomalies_pb2.AnomalyInfo.Type.Name(reason.type)
            kind = kind_of(name, comparison)
            if comparison and kind != comparison and not (comparison == DRIFT and kind == SIZE):
                continue  # a comparison call repeats the schema's findings; keep only its own
            description = reason.description or reason.short_description
            if kind == RANGE and schema is not None and statistics is not None:
                description = range_text(schema, statistics, feature, name) or description
            if kind in COMPARED_WITH:
                description = comparator_text(name, kind, description)
            if kind in (SHAPE, MISSING) and statistics is not None:
                missing = missing_text(statistics, feature)
                kind, description = (MISSING, missing) if missing else (kind, description)
            found.append(Finding(split, feature, kind, name, description))
    return found


def measurements_of(anomalies: anomalies_pb2.Anomalies, split: str, comparison: str) -> List[Dict[str, Any]]:
    """TFDV's drift or skew measurements per feature, above their threshold or not."""
    measured = []
    for info in anomalies.drift_skew_info:
        items = info.drift_measurements if comparison == DRIFT else info.skew_measurements
        for item in items:
            measured.append(
                {
                    "split": split,
                    "feature": "/".join(info.path.step),
                    "comparison": comparison.lower(),
                    "measure": anomalies_pb2.DriftSkewInfo.Measurement.Type.Name(item.type),
                    "value": item.value,
                    "threshold": item.threshold,
                }
            )
    return measured


def single_dataset(statistics: statistics_pb2.DatasetFeatureStatistics) -> statistics_pb2.DatasetFeatureStatisticsList:
    return statistics_pb2.DatasetFeatureStatisticsList(datasets=[statistics])


def _range_of_nothing(finding: Finding, statistics: statistics_pb2.DatasetFeatureStatistics) -> bool:
    """TFDV checks a range against a split's min and max even when the feature has no values
    there (both read 0): such a finding is not about any value. A feature the schema
    requires still gets its MISSING finding."""
    observed = observed_feature(statistics, finding.feature)
    return (
        finding.kind == RANGE and observed is not None and observed.HasField("num_stats")
        and observed.num_stats.common_stats.tot_num_values == 0
    )


def duplicate_finding(split: str, duplicates: int, total: int, max_fraction: float) -> Optional[Finding]:
    if total == 0 or duplicates / total <= max_fraction:
        return None
    return Finding(
        split, DATASET, DUPLICATES, DUPLICATES,
        f"{duplicates} of {total} examples ({duplicates / total:.0%}) repeat an earlier example exactly "
        f"(at most {max_fraction:.0%} allowed)",
    )


def judge(
    statistics: Dict[str, statistics_pb2.DatasetFeatureStatistics],
    schema: schema_pb2.Schema,
    baseline: Optional[Dict[str, statistics_pb2.DatasetFeatureStatistics]] = None,
    duplicates: Optional[Dict[str, Tuple[int, int]]] = None,
    max_duplicate_fraction: float = 1.0,
    accepted: Tuple[str, ...] = (),
    span: int = 0,
    baseline_uri: str = "",
) -> Tuple[Verdict, Dict[str, anomalies_pb2.Anomalies]]:
    """Every finding about one span's splits, the verdict, and TFDV's Anomalies per split.

    Each split is checked against the schema; the train split also against `baseline`'s
    train split (drift, when there is a baseline) and against the eval split (skew).
    """
    import tensorflow_data_validation as tfdv  # heavy; only the executor needs it

    findings: List[Finding] = []
    measurements: List[Dict[str, Any]] = []
    protos: Dict[str, anomalies_pb2.Anomalies] = {}
    previous = (baseline or {}).get(TRAIN_SPLIT)
    for split, current in statistics.items():
        drift_base = single_dataset(previous) if split == TRAIN_SPLIT and previous is not None else None
        anomalies = tfdv.validate_statistics(single_dataset(current), schema, previous_statistics=drift_base)
        protos[split] = anomalies
        findings += [
            f for f in findings_of(anomalies, split, schema=schema, statistics=current)
            if not f.reason.startswith(COMPARATOR_PREFIX) and not _range_of_nothing(f, current)
        ]
        if drift_base is not None:
            findings += findings_of(anomalies, split, DRIFT)
            measurements += measurements_of(anomalies, split, DRIFT)
    if TRAIN_SPLIT in statistics and EVAL_SPLIT in statistics:
        skew = tfdv.validate_statistics(
            single_dataset(statistics[TRAIN_SPLIT]), schema, serving_statistics=single_dataset(statistics[EVAL_SPLIT])
        )
        findings += findings_of(skew, f"{TRAIN_SPLIT}/{EVAL_SPLIT}", SKEW)
        measurements += measurements_of(skew, f"{TRAIN_SPLIT}/{EVAL_SPLIT}", SKEW)
    for split, (repeated, total) in (duplicates or {}).items():
        finding = duplicate_finding(split, repeated, total, max_duplicate_fraction)
        findings += [finding] if finding else []
    for finding in findings:
        finding.accepted = any(finding.matches(acceptance) for acceptance in accepted)
    gate = STOPPED if any(not finding.accepted for finding in findings) else PASSED
    verdict = Verdict(
        gate=gate,
        span=span,
        findings=findings,
        accepted=list(accepted),
        baseline=baseline_uri,
        duplicates={split: list(counts) for split, counts in (duplicates or {}).items()},
        measurements=measurements,
    )
    return verdict, protos


def read_split_statistics(statistics_dir: str) -> Dict[str, statistics_pb2.DatasetFeatureStatistics]:
    """`Split-<name>/FeatureStats.pb` under a statistics directory, by split name."""
    found = {}
    if not os.path.isdir(statistics_dir):
        return found
    for name in sorted(os.listdir(statistics_dir)):
        path = os.path.join(statistics_dir, name, STATISTICS_FILE)
        if name.startswith("Split-") and os.path.exists(path):
            with open(path, "rb") as handle:
                found[name.removeprefix("Split-")] = statistics_pb2.DatasetFeatureStatisticsList.FromString(
                    handle.read()
                ).datasets[0]
    return found
