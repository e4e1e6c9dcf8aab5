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


EPHEMERAL_PACKAGE = "/tmp/tfx-ephemeral-package.tar.gz"
REMOTE_RUNNERS = sorted(set(beam.RUNNERS) - {beam.DIRECT})


@pytest.fixture
def tfx_packaging(monkeypatch):
    """TFX's own `make_beam_dependency_flags`, with its sdist build replaced by a recorder:
    the list of argument lists TFX built a package for (a real build takes seconds)."""
    from tfx.utils import dependency_utils

    built = []

    def build_ephemeral_package():
        built.append(True)
        return EPHEMERAL_PACKAGE

    monkeypatch.setattr(dependency_utils, "build_ephemeral_package", build_ephemeral_package)
    return dependency_utils, built


def _remote_args(runner: str) -> list:
    """`runner`'s Beam arguments as the CLI builds them, required options filled in."""
    required = [f"--{name}=x" for name in beam.RUNNERS[runner].required_options]
    return beam.beam_pipeline_args(runner=runner, extra_args=required)


def test_the_remote_runners_are_covered():
    # Flink, Spark and Dataflow at least; a runner added to beam.RUNNERS joins the test below.
    assert {beam.FLINK, beam.SPARK, beam.DATAFLOW} <= set(REMOTE_RUNNERS)


@pytest.mark.parametrize(
    "args",
    [
        *[beam.beam_pipeline_args(mode, 2) for mode in beam.DIRECT_RUNNING_MODES],
        ["--runner=DirectRunner"],
        [],
    ],
    ids=[*beam.DIRECT_RUNNING_MODES, "--runner=DirectRunner", "no-args"],
)
def test_tfx_packaging_is_skipped_for_the_direct_runner(tfx_packaging, args):
    dependency_utils, built = tfx_packaging
    original = dependency_utils.make_beam_dependency_flags
    with beam.no_tfx_packaging_for_direct_runner():
        assert dependency_utils.make_beam_dependency_flags(list(args)) == args
    assert built == []
    assert dependency_utils.make_beam_dependency_flags is original
    # Without the context TFX would have packaged (the skip is the context's doing).
    assert original(list(args)) == [*args, f"--extra_package={EPHEMERAL_PACKAGE}"]


@pytest.mark.parametrize("runner", REMOTE_RUNNERS)
def test_tfx_packaging_is_kept_for_the_other_runners(tfx_packaging, runner):
    dependency_utils, built = tfx_packaging
    original = dependency_utils.make_beam_dependency_flags
    args = _remote_args(runner)
    with beam.no_tfx_packaging_for_direct_runner():
        assert dependency_utils.make_beam_dependency_flags(list(args)) == [*args, f"--extra_package={EPHEMERAL_PACKAGE}"]
        assert len(built) == 1, f"TFX did not package its sources for the {runner} runner"
        # A package the user names is TFX's to keep: it adds none.
        own = [*args, "--extra_package=/own.tar.gz"]
        assert dependency_utils.make_beam_dependency_flags(list(own)) == own
        assert len(built) == 1
    assert dependency_utils.make_beam_dependency_flags is original


def test_tflite_dir_resolves_flag_then_environment_then_output_dir(tmp_path):
    default = configs.resolve_paths("penguin", "p", output_dir=str(tmp_path / "out"), environ={})
    assert default.serving_tflite_dir == tmp_path / "out/serving_tflite/penguin"
    environ = {configs.SERVING_TFLITE_DIR_ENV: str(tmp_path / "env_tflite")}
    assert configs.resolve_paths("penguin", "p", environ=environ).serving_tflite_dir == tmp_path / "env_tflite"
    flagged = configs.resolve_paths("penguin", "p", serving_tflite_dir=str(tmp_path / "flag"), environ=environ)
    assert flagged.serving_tflite_dir == tmp_path / "flag"
