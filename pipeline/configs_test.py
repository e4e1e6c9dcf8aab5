"""Path resolution (flag > environment > output dir) and Beam arguments."""


import pytest

from pipeline import beam, configs


def test_defaults_live_under_outputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = configs.resolve_paths("penguin", "penguin", environ={})
    assert paths.pipeline_root == tmp_path / "outputs/pipelines/penguin"
    assert paths.metadata_path == tmp_path / "outputs/metadata/penguin.sqlite"
    assert paths.serving_model_dir == tmp_path / "outputs/serving/penguin"
    assert paths.data_root == tmp_path / "outputs/data/penguin"


def test_output_dir_moves_everything_and_finer_settings_override(tmp_path):
    environ = {configs.OUTPUT_DIR_ENV: str(tmp_path / "env_out"), configs.METADATA_PATH_ENV: str(tmp_path / "m.db")}
    paths = configs.resolve_paths("penguin", "p", serving_model_dir=str(tmp_path / "srv"), environ=environ)
    assert paths.pipeline_root == tmp_path / "env_out/pipelines/p"
    assert paths.metadata_path == tmp_path / "m.db"
    assert paths.serving_model_dir == tmp_path / "srv"
    flagged = configs.resolve_paths("penguin", "p", output_dir=str(tmp_path / "flag_out"), environ=environ)
    assert flagged.pipeline_root == tmp_path / "flag_out/pipelines/p"


def test_beam_arguments():
    assert beam.beam_pipeline_args() == ["--direct_running_mode=in_memory", "--direct_num_workers=1"]
    assert beam.beam_pipeline_args("multi_processing", 2, ["--x=1"]) == [
        "--direct_running_mode=multi_processing",
        "--direct_num_workers=2",
        "--x=1",
    ]
    with pytest.raises(ValueError, match="unknown Beam running mode"):
        beam.beam_pipeline_args("fast")
    with pytest.raises(ValueError, match="at least 1"):
        beam.beam_pipeline_args("multi_processing", 0)


def test_direct_runner_detection():
    assert beam.uses_direct_runner(beam.beam_pipeline_args())
    assert beam.uses_direct_runner(["--runner=DirectRunner"])
    assert not beam.uses_direct_runner(beam.beam_pipeline_args(extra_args=["--runner=FlinkRunner"]))


def test_tfx_packaging_is_skipped_only_for_the_direct_runner():
    from tfx.utils import dependency_utils

    original = dependency_utils.make_beam_dependency_flags
    with beam.no_tfx_packaging_for_direct_runner():
        assert dependency_utils.make_beam_dependency_flags(["--direct_num_workers=1"]) == ["--direct_num_workers=1"]
        flink = ["--runner=FlinkRunner", "--extra_package=/x.tar.gz"]  # TFX's own check returns it as is
        assert dependency_utils.make_beam_dependency_flags(flink) == flink
    assert dependency_utils.make_beam_dependency_flags is original


def test_tflite_dir_resolves_flag_then_environment_then_output_dir(tmp_path):
    default = configs.resolve_paths("penguin", "p", output_dir=str(tmp_path / "out"), environ={})
    assert default.serving_tflite_dir == tmp_path / "out/serving_tflite/penguin"
    environ = {configs.SERVING_TFLITE_DIR_ENV: str(tmp_path / "env_tflite")}
    assert configs.resolve_paths("penguin", "p", environ=environ).serving_tflite_dir == tmp_path / "env_tflite"
    flagged = configs.resolve_paths("penguin", "p", serving_tflite_dir=str(tmp_path / "flag"), environ=environ)
    assert flagged.serving_tflite_dir == tmp_path / "flag"
