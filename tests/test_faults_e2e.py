"""The quick cases of the fault matrix (`make chaos` runs them all, see bench/chaos.py): a run
killed in its Trainer, a pusher killed mid-copy, two runs at once, a push onto a full disk,
and the local server through a deleted and a corrupt version and a flood of bad requests."""

import os
import shutil
from pathlib import Path

import pytest

from bench import chaos

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("faults")


def _assert_passed(result: chaos.CaseResult) -> None:
    assert result.passed, f"{result.case}: {result.outcome}"


def test_a_run_killed_in_its_trainer_is_finished_by_the_next_run(work):
    _assert_passed(chaos.kill_during_node(work, "Trainer"))


def test_a_pusher_killed_mid_copy_never_shows_a_partial_version(work):
    _assert_passed(chaos.kill_during_push_copy(work))


def test_a_second_run_waits_for_the_first_and_both_push(work):
    _assert_passed(chaos.two_runs_at_once(work))


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 150 MB tmpfs (mounting needs root: skipped elsewhere)."""
    if not chaos.can_mount():
        pytest.skip("mounting a tmpfs needs root")
    with chaos.tmpfs(tmp_path / "disk", size="150m") as disk:
        yield disk


def test_a_push_onto_a_full_disk_fails_in_one_line_and_succeeds_once_there_is_room(small_disk, tmp_path):
    """The pushers' publishing on a real full disk (`make chaos` runs whole pipelines on one)."""
    from components import publishing, versioned_pusher

    model, base = str(chaos.large_model(tmp_path / "model")), str(small_disk / "serving")
    with publishing.base_directory_lock(base):
        served = versioned_pusher.publish_version(model, base)
    with pytest.raises(publishing.PublishError, match=r"cannot write version \d+ into .*serving: "
                       r"No space left on device; nothing was published"):
        with publishing.base_directory_lock(base):
            versioned_pusher.publish_version(model, base)
    assert os.listdir(base) == [os.path.basename(served)] and publishing.same_files(served, model)
    shutil.rmtree(served)
    with publishing.base_directory_lock(base):
        versioned_pusher.publish_version(model, base)


def test_the_server_keeps_serving_through_a_deleted_a_corrupt_version_and_a_flood(work):
    served = work / "concurrent-SQLite" / "serving" / chaos.MODEL
    if not served.is_dir():  # this test alone: make the two versions it serves
        _assert_passed(chaos.two_runs_at_once(work))
    for result in chaos.server_under_faults(work, served):
        _assert_passed(result)
