"""The data gate's judgement (`judge`): schema, drift against a baseline, skew, duplicates, acceptance."""

import re

import numpy as np
import pandas as pd
import pytest
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

from components import data_findings as dv
from components.data_gate import gate_message

ROWS = 400


def _frame(seed: int, mass_scale: float = 1.0, species=("Adelie", "Gentoo")) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "body_mass_g": rng.normal(4200.0, 300.0, ROWS).clip(2800, 6000) * mass_scale,
            "species": rng.choice(list(species), ROWS),
        }
    )


def _statistics(frame: pd.DataFrame):
    return tfdv.generate_statistics_from_dataframe(frame).datasets[0]


@pytest.fixture(scope="module")
def schema() -> schema_pb2.Schema:
    schema = tfdv.infer_schema(tfdv.generate_statistics_from_dataframe(_frame(0)))
    mass = tfdv.get_feature(schema, "body_mass_g")
    mass.float_domain.min, mass.float_domain.max = 2700.0, 6300.0
    mass.drift_comparator.jensen_shannon_divergence.threshold = 0.1
    mass.skew_comparator.jensen_shannon_divergence.threshold = 0.15
    species = tfdv.get_feature(schema, "species")
    species.drift_comparator.infinity_norm.threshold = 0.15
    schema.dataset_constraints.num_examples_drift_comparator.min_fraction_threshold = 0.5
    return schema


def _judge(schema, current, baseline=None, **kwargs):
    statistics = {"train": _statistics(current), "eval": _statistics(current.iloc[: ROWS // 4])}
    return dv.judge(statistics, schema, baseline={"train": _statistics(baseline)} if baseline is not None else None, **kwargs)[0]


def _found(verdict):
    return {(f.split, f.feature, f.kind) for f in verdict.findings}


def test_good_data_passes_against_the_schema_and_a_baseline(schema):
    verdict = _judge(schema, _frame(1), baseline=_frame(2))
    assert verdict.findings == [] and verdict.gate == dv.PASSED
    drift = [m for m in verdict.measurements if m["comparison"] == "drift"]
    assert {m["feature"] for m in drift} == {"body_mass_g", "species"}
    assert all(m["value"] < m["threshold"] for m in drift)


def test_a_unit_change_is_out_of_range_in_every_split_and_drifts(schema):
    verdict = _judge(schema, _frame(1, mass_scale=1000.0), baseline=_frame(2))
    assert {("train", "body_mass_g", dv.RANGE), ("eval", "body_mass_g", dv.RANGE), ("train", "body_mass_g", dv.DRIFT)} <= _found(verdict)
    assert verdict.stopped
    (large,) = [f for f in verdict.findings if f.split == "train" and f.kind == dv.RANGE]
    assert large.reason == "FLOAT_TYPE_BIG_FLOAT"
    assert large.description.startswith("out of range [2700, 6300]: max 5.")


def test_without_a_baseline_there_is_no_drift_finding(schema):
    verdict = _judge(schema, _frame(1, species=("Adelie",)))
    assert dv.DRIFT not in {f.kind for f in verdict.findings}


def test_a_class_mix_change_drifts_and_an_unseen_class_is_out_of_domain(schema):
    verdict = _judge(schema, _frame(1, species=("Adelie", "Adelie", "Adelie", "Gentoo", "Emperor")), baseline=_frame(2))
    assert ("train", "species", dv.DRIFT) in _found(verdict)
    assert ("train", "species", dv.DOMAIN) in _found(verdict)
    (drift,) = [f for f in verdict.findings if f.kind == dv.DRIFT]
    assert re.fullmatch(
        r"L-infinity distance 0\.\d+ from the served model's training data \(threshold 0\.15\); most changed: \w+",
        drift.description,
    ), drift.description


def test_a_much_smaller_span_is_a_size_finding(schema):
    verdict = _judge(schema, _frame(1).iloc[:100], baseline=_frame(2))
    assert ("train", dv.DATASET, dv.SIZE) in _found(verdict)


def test_accepted_findings_are_recorded_and_do_not_stop_the_gate(schema):
    verdict = _judge(schema, _frame(1, species=("Adelie", "Adelie", "Gentoo")), baseline=_frame(2),
                     accepted=("species:DRIFT", "island:RANGE"))
    (drift,) = verdict.findings
    assert drift.accepted and drift.kind == dv.DRIFT
    assert verdict.gate == dv.PASSED and verdict.open_findings == []
    assert dv.Verdict.from_json(verdict.to_json()) == verdict


def test_duplicates_above_the_allowed_fraction_stop_the_gate(schema):
    verdict = _judge(schema, _frame(1), duplicates={"train": (60, 300), "eval": (1, 100)}, max_duplicate_fraction=0.05)
    assert _found(verdict) == {("train", dv.DATASET, dv.DUPLICATES)}
    assert verdict.findings[0].description.startswith("60 of 300 examples (20%) repeat")


def test_reasons_map_to_the_kinds_a_person_names():
    assert dv.kind_of("FEATURE_TYPE_LOW_NUMBER_VALUES") == dv.MISSING
    assert dv.kind_of("ENUM_TYPE_UNEXPECTED_STRING_VALUES") == dv.DOMAIN
    assert dv.kind_of("FLOAT_TYPE_STRING_NOT_FLOAT") == dv.TYPE
    assert dv.kind_of("COMPARATOR_L_INFTY_HIGH", dv.SKEW) == dv.SKEW
    assert dv.kind_of("COMPARATOR_LOW_NUM_EXAMPLES", dv.DRIFT) == dv.SIZE
    assert dv.Finding("train", "sex", dv.DRIFT, "COMPARATOR_L_INFTY_HIGH", "").matches("sex:comparator_l_infty_high")


def test_the_gate_message_lists_open_findings_only():
    verdict = dv.Verdict(dv.STOPPED, 3, [
        dv.Finding("train", "a", dv.RANGE, "FLOAT_TYPE_BIG_FLOAT", "too big"),
        dv.Finding("train", "b", dv.DRIFT, "COMPARATOR_L_INFTY_HIGH", "moved", accepted=True),
    ], ["b:DRIFT"])
    assert gate_message(verdict) == "the data gate stopped span 3: 1 finding(s): train a RANGE: too big"


def test_a_one_sided_range_reads_as_one():
    schema = schema_pb2.Schema()
    fare = schema.feature.add(name="fare", type=schema_pb2.FLOAT)
    fare.float_domain.min = 0.0
    statistics = _statistics(pd.DataFrame({"fare": [-3.5, 10.0]}))
    assert dv.range_text(schema, statistics, "fare", "FLOAT_TYPE_SMALL_FLOAT") == "out of range [0, inf]: min -3.5"


def test_a_range_is_not_checked_on_a_split_where_the_feature_has_no_values():
    """CsvExampleGen writes an empty cell as a feature with no values; a split with only
    empty cells has min = max = 0 in its statistics, which TFDV checks against the range."""
    schema = schema_pb2.Schema()
    tract = schema.feature.add(name="tract", type=schema_pb2.INT)
    tract.int_domain.min, tract.int_domain.max = 17031010100, 17031980100
    empty = statistics_pb2.DatasetFeatureStatistics(num_examples=2)
    feature = empty.features.add(type=statistics_pb2.FeatureNameStatistics.INT)
    feature.path.step.append("tract")
    feature.num_stats.common_stats.num_non_missing = 2
    tfdv_findings = dv.findings_of(tfdv.validate_statistics(dv.single_dataset(empty), schema), "eval")
    assert [f.kind for f in tfdv_findings] == [dv.RANGE]  # TFDV's own verdict
    verdict, _ = dv.judge({"eval": empty}, schema)
    assert verdict.findings == []
