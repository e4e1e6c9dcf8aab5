"""Beam runner presets: Flink, Spark and Dataflow arguments, and what each must be told."""

import pytest

from pipeline import beam

DATAFLOW_OPTIONS = ["--project=p", "--region=europe-west4", "--temp_location=gs://b/tmp"]


def test_direct_runner_keeps_its_mode_arguments():
    assert beam.beam_pipeline_args("multi_processing", 2, runner=beam.DIRECT) == [
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
    ]


def test_each_cluster_runner_gets_its_preset_then_the_given_options():
    assert beam.beam_pipeline_args(extra_args=["--flink_master=jm:8081"], runner=beam.FLINK) == [
        "--runner=FlinkRunner", "--environment_type=LOOPBACK", "--flink_master=jm:8081",
    ]
    assert beam.beam_pipeline_args(extra_args=["--job_endpoint=js:8099"], runner=beam.SPARK)[:2] == [
        "--runner=PortableRunner", "--environment_type=LOOPBACK",
    ]
    assert beam.beam_pipeline_args(extra_args=DATAFLOW_OPTIONS, runner=beam.DATAFLOW) == [
        "--runner=DataflowRunner", *DATAFLOW_OPTIONS,
    ]
    assert not beam.uses_direct_runner(beam.beam_pipeline_args(extra_args=DATAFLOW_OPTIONS, runner=beam.DATAFLOW))


def test_options_given_as_separate_arguments_count():
    args = beam.beam_pipeline_args(extra_args=["--flink_master", "jm:8081"], runner=beam.FLINK)
    assert args[-2:] == ["--flink_master", "jm:8081"]


def test_missing_runner_options_are_named():
    with pytest.raises(ValueError, match="Beam runner 'dataflow' needs --region, --temp_location"):
        beam.beam_pipeline_args(extra_args=["--project=p"], runner=beam.DATAFLOW)
    with pytest.raises(ValueError, match="Beam runner 'flink' needs --flink_master"):
        beam.beam_pipeline_args(runner=beam.FLINK)


def test_direct_runner_settings_are_refused_for_other_runners():
    with pytest.raises(ValueError, match="--beam-mode multi_processing --workers 4 set the DirectRunner"):
        beam.beam_pipeline_args("multi_processing", 4, ["--flink_master=jm:8081"], runner=beam.FLINK)


def test_unknown_runner_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown Beam runner 'storm'"):
        beam.beam_pipeline_args(runner="storm")


def test_auto_mode_picks_multi_processing_from_the_measured_crossover():
    small = beam.choose_mode(beam.AUTO, None, beam.MULTI_PROCESSING_FROM_ROWS - 1, cpus=8)
    assert (small.mode, small.workers) == (beam.IN_MEMORY, 1)
    large = beam.choose_mode(beam.AUTO, None, beam.MULTI_PROCESSING_FROM_ROWS, cpus=8)
    assert (large.mode, large.workers) == (beam.MULTI_PROCESSING, beam.AUTO_MAX_WORKERS)
    assert beam.choose_mode(beam.AUTO, None, 10**6, cpus=1).workers == 2, "one CPU still gets two workers"
    assert beam.choose_mode(beam.AUTO, 3, 10**6, cpus=8).workers == 3, "--workers wins"
    assert large.describe() == (
        f"multi_processing with {beam.AUTO_MAX_WORKERS} workers (auto: 250,000 rows, at least 250,000; "
        "--beam-mode in_memory uses less memory)"
    )


def test_an_explicit_mode_or_an_unknown_size_is_not_second_guessed():
    assert beam.choose_mode(beam.IN_MEMORY, None, 10**7, cpus=8) == beam.ModeChoice(beam.IN_MEMORY, 1, "--beam-mode")
    assert beam.choose_mode(beam.MULTI_PROCESSING, 2, 10, cpus=8).mode == beam.MULTI_PROCESSING
    unknown = beam.choose_mode(beam.AUTO, None, None, cpus=8)
    assert unknown.mode == beam.IN_MEMORY and "not known" in unknown.reason
