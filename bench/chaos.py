"""Faults a production pipeline meets, done for real, and what each leaves behind.

`python -m bench chaos` (`make chaos`) runs the whole matrix on the penguin pipeline and
writes bench/results/chaos.md; tests/test_faults_e2e.py runs the quick cases in `make test`.

- **kill -9** of `python -m pipeline run` while each node runs, and of a pusher in the
  middle of its copy, with a reader listing the serving directory all along;
- **two runs at once** on one store and one serving directory (SQLite; MySQL where
  $MLMD_MYSQL_TEST_ADDRESS names a database);
- **a full and a read-only disk** under the Pusher (a tmpfs mount: needs root);
- **the local server under faults**: its newest version deleted, a corrupt `saved_model.pb`
  pushed by hand, a flood of malformed and oversized requests.

After each fault the next run must finish, and `check_store_and_serving` must find nothing
wrong: every served version complete and byte-identical to a trained model, no staging
directory left, no COMPLETE execution whose outputs are missing, no execution left RUNNING,
an intact SQLite file, and `inspect runs` answering. Recovery time is the seconds from the
fault to the next good run (or answer).
"""

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence

from bench.pipeline_speed import PROJECT_ROOT, machine_description

MODEL = "penguin"
RUN_TIMEOUT_S = 900
# How long after a node's "running" line the run is killed: inside all but the shortest nodes.
KILL_DELAY_S = 0.5
# A pusher copying this many bytes is still copying when the staging directory is seen.
LARGE_VARIABLES_BYTES = 100 * 1024 * 1024
FLOOD_REQUESTS = 300
# What the server's memory may grow by over the flood.
MAX_FLOOD_RSS_GROWTH_MB = 64
TMPFS_SIZE = "16m"
RAW_SIGNATURE = "serving_raw"
# A run that trains a different model (another seed) and pushes it whatever its accuracy.
NEW_MODEL = ("--seed", "7", "--max-regression", "1")
_PROGRESS = re.compile(r"^\[\d+/\d+\] (\S+) \.+ running", re.MULTILINE)


@dataclass
class CaseResult:
    case: str
    action: str
    outcome: str
    recovery_s: Optional[float]
    passed: bool


def _command(output_dir: Path, *extra: str) -> List[str]:
    return [sys.executable, "-m", "pipeline", "run", "--model", MODEL, "--output-dir", str(output_dir), *extra]


def run_pipeline(output_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(output_dir, *extra), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )


def start_pipeline(output_dir: Path, *extra: str) -> subprocess.Popen:
    """A run in its own process group (so a kill takes every process it started)."""
    return subprocess.Popen(
        _command(output_dir, *extra), cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )


def node_names(stdout: str) -> List[str]:
    """The nodes a run's progress lines name, in the order they ran."""
    return list(dict.fromkeys(_PROGRESS.findall(stdout)))


def kill_when_running(process: subprocess.Popen, node: str, delay_s: float = KILL_DELAY_S) -> bool:
    """SIGKILLs the run's process group `delay_s` after `node` starts; whether it started."""
    for line in process.stdout:
        match = _PROGRESS.match(line)
        if match and match.group(1) == node:
            time.sleep(delay_s)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
    process.wait()
    return False


def _trained_model_digests(output_dir: Path) -> set:
    from components import publishing

    models = (output_dir / "pipelines" / MODEL / "Trainer" / "model").glob("*/Format-Serving")
    return {publishing.tree_digest(str(model)) for model in models}


def _store(output_dir: Path):
    from inspection import mlmd
    from pipeline.metadata_backend import connection_config

    return mlmd.open_store(connection_config(output_dir / "metadata" / f"{MODEL}.sqlite"))


def executions_since(output_dir: Path, after_id: int) -> Dict[str, str]:
    """{node: state} of the executions with ids above `after_id` (one run's, when it ran alone)."""
    from inspection import mlmd

    store = _store(output_dir)
    return {
        mlmd.node_id_of(store, MODEL, execution.id): mlmd.state_name(execution)
        for execution in sorted(store.get_executions(), key=lambda e: e.id)
        if execution.id > after_id
    }


def last_execution_id(output_dir: Path) -> int:
    from inspection import mlmd

    return mlmd.max_execution_id(_store(output_dir))


def check_store_and_serving(
    output_dir: Path, serving_dir: Optional[Path] = None, runs_must_show: str = ""
) -> List[str]:
    """What is wrong after a fault and a recovery run; empty when nothing is. `inspect runs`
    must answer, and show `runs_must_show` where one is given."""
    from components import publishing
    from inspection import mlmd
    from serving import layout

    problems = []
    serving_dir = serving_dir or output_dir / "serving" / MODEL
    trained = _trained_model_digests(output_dir)
    for version in layout.versions(serving_dir):
        if publishing.tree_digest(str(serving_dir / str(version))) not in trained:
            problems.append(f"served version {version} is not a trained model, byte for byte")
    leftovers = [p.name for p in serving_dir.glob(f"{publishing.STAGING_PREFIX}*")] if serving_dir.is_dir() else []
    if leftovers:
        problems.append(f"staging directories left: {leftovers}")
    database = output_dir / "metadata" / f"{MODEL}.sqlite"
    with contextlib.closing(sqlite3.connect(database)) as connection:
        (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
    if integrity != "ok":
        problems.append(f"SQLite integrity_check: {integrity}")
    store = _store(output_dir)
    for execution in store.get_executions():
        state = mlmd.state_name(execution)
        if state == "RUNNING":
            problems.append(f"execution {execution.id} is still RUNNING")
        if state != "COMPLETE":
            continue
        for key, artifacts in mlmd.output_artifacts(store, execution.id).items():
            missing = [a.uri for a in artifacts if a.uri and not os.path.exists(a.uri)]
            if missing:
                problems.append(f"COMPLETE execution {execution.id} lost its {key} output: {missing}")
    inspected = subprocess.run(
        [sys.executable, "-m", "pipeline", "inspect", "runs", "--output-dir", str(output_dir),
         "--pipeline-name", MODEL],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )
    if inspected.returncode != 0:
        problems.append(f"`inspect runs` failed: {inspected.stderr.strip().splitlines()[-1:]}")
    elif runs_must_show not in inspected.stdout:
        problems.append(f"`inspect runs` does not show {runs_must_show}")
    return problems


def _result(case: str, action: str, problems: List[str], recovery_s: Optional[float], fine: str) -> CaseResult:
    return CaseResult(case, action, "; ".join(problems) if problems else fine, recovery_s, not problems)


def _recover(output_dir: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    completed = run_pipeline(output_dir, *extra)
    return completed, round(time.monotonic() - started, 1)


def kill_during_node(work: Path, node: str, after_a_good_run: bool = False) -> CaseResult:
    """kill -9 while `node` runs, then the same run again.

    `after_a_good_run` first pushes a model, so a node after the Trainer has a served version
    to keep; the killed run then trains another (NEW_MODEL), so that every node from the
    Trainer on has work to be killed in. Nodes before it would come from the cache then:
    they are killed in a store's first run.
    """
    output_dir = work / f"kill-{node}"
    if after_a_good_run:
        seeded = run_pipeline(output_dir)
        assert seeded.returncode == 0, seeded.stdout
    seeded_id = last_execution_id(output_dir) if after_a_good_run else 0
    killed = kill_when_running(start_pipeline(output_dir, *NEW_MODEL), node)
    if not killed:
        return CaseResult(f"kill -9 in {node}", "the run never reached it", "skipped", None, True)
    killed_id = last_execution_id(output_dir)
    finished = [name for name, state in executions_since(output_dir, seeded_id).items() if state == "COMPLETE"]
    rerun, seconds = _recover(output_dir, *NEW_MODEL)
    problems = [] if rerun.returncode == 0 else [f"the next run failed: {rerun.stdout[-400:]}"]
    rerun_states = executions_since(output_dir, killed_id)
    problems += [f"{name} finished before the kill but ran again ({rerun_states.get(name)})"
                 for name in finished if name in _CACHEABLE and rerun_states.get(name) != "CACHED"]
    interrupted = re.search(r"An earlier run was interrupted in (.+?): marked CANCELED", rerun.stdout)
    if interrupted is None and node in _INTERRUPTIBLE:
        problems.append("the next run did not report the interrupted node")
    problems += check_store_and_serving(output_dir, runs_must_show="INTERRUPTED" if interrupted else "")
    caught = f"caught RUNNING: {interrupted.group(1)}" if interrupted else "it had finished: nothing RUNNING"
    return _result(
        f"kill -9 in {node}", f"SIGKILL {KILL_DELAY_S} s after {node} started, then the same run again", problems,
        seconds, f"{caught}; the next run completed and reused what finished; nothing partial served or recorded",
    )


# Nodes a rerun takes from the cache once they finished (as tests/pipeline_runs.py's
# CACHED_ON_RERUN: the data gate's validator and the resolver run again, and so does the
# Evaluator, whose baseline the killed run's blessing may have changed).
_CACHEABLE = ("CsvExampleGen", "StatisticsGen", "ImportSchemaGen", "Transform", "Trainer")
# Nodes that run long enough to be caught RUNNING (the rest may finish within the delay).
_INTERRUPTIBLE = ("StatisticsGen", "Transform", "Trainer", "Evaluator")


def large_model(directory: Path) -> Path:
    (directory / "variables").mkdir(parents=True, exist_ok=True)
    with open(directory / "variables" / "variables.data-00000-of-00001", "wb") as handle:
        handle.truncate(LARGE_VARIABLES_BYTES)
    (directory / "variables" / "variables.index").write_bytes(b"index")
    (directory / "saved_model.pb").write_bytes(b"graph")
    return directory


_PUBLISH = (
    "import sys\nfrom components import publishing, versioned_pusher\n"
    "with publishing.base_directory_lock(sys.argv[2]):\n"
    "    print(versioned_pusher.publish_version(sys.argv[1], sys.argv[2]))\n"
)


def _publish(source: Path, base: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _PUBLISH, str(source), str(base)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@contextlib.contextmanager
def watching_versions(base: Path, expected_size: int) -> Iterator[List[str]]:
    """Lists `base` every millisecond, as a model server polls it; yields the problems seen."""
    from serving import layout

    seen, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            for version in layout.versions(base):
                data = base / str(version) / "variables" / "variables.data-00000-of-00001"
                with contextlib.suppress(FileNotFoundError):
                    if data.stat().st_size != expected_size:
                        seen.append(f"version {version} visible with {data.stat().st_size} of {expected_size} bytes")
            time.sleep(0.001)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def kill_during_push_copy(work: Path) -> CaseResult:
    """A pusher killed with half a large model copied: the reader never sees it; the next push cleans up."""
    from components import publishing, versioned_pusher
    from serving import layout

    source, base = large_model(work / "large_model"), work / "push-copy" / "serving"
    base.mkdir(parents=True, exist_ok=True)
    with watching_versions(base, LARGE_VARIABLES_BYTES) as seen:
        pusher = _publish(source, base)
        while not list(base.glob(f"{publishing.STAGING_PREFIX}*")) and pusher.poll() is None:
            time.sleep(0.001)
        pusher.kill()
        pusher.wait()
        left = [p.name for p in base.glob(f"{publishing.STAGING_PREFIX}*")]
        started = time.monotonic()
        with publishing.base_directory_lock(str(base)):
            versioned_pusher.publish_version(str(source), str(base))
        seconds = round(time.monotonic() - started, 1)
    problems = list(dict.fromkeys(seen))
    if not left:
        problems.append("the pusher finished before it was killed: no staging directory to clean")
    versions = layout.versions(base)
    if len(versions) != 1 or not publishing.same_files(str(base / str(versions[0])), str(source)):
        problems.append(f"expected one complete version, found {versions}")
    if list(base.glob(f"{publishing.STAGING_PREFIX}*")):
        problems.append("the next push left the killed pusher's staging directory")
    return _result(
        "kill -9 in the Pusher's copy",
        f"SIGKILL a pusher with part of {LARGE_VARIABLES_BYTES >> 20} MB copied, a reader listing versions every 1 ms",
        problems, seconds, "no partial version ever listed; the next push removed the staging directory",
    )


def two_runs_at_once(work: Path, *metadata: str, name: str = "SQLite") -> CaseResult:
    """Two runs on one store and one serving directory: the second waits, both push their own version."""
    output_dir = work / f"concurrent-{name}"
    first = start_pipeline(output_dir, *metadata)
    for line in first.stdout:  # the first holds the lock once it prints its data line
        if line.startswith("Data ("):
            break
    started = time.monotonic()
    second = start_pipeline(output_dir, *metadata, *NEW_MODEL)
    first_out = first.stdout.read()
    second_out = second.stdout.read()
    first.wait(), second.wait()
    seconds = round(time.monotonic() - started, 1)
    outputs = ((first, first_out), (second, second_out))
    problems = [f"run {i} failed: {out[-300:]}" for i, (p, out) in enumerate(outputs, 1) if p.returncode != 0]
    if "Waiting: another run of this pipeline holds" not in second_out:
        problems.append("the second run did not say it waited")
    from serving import layout

    versions = layout.versions(output_dir / "serving" / MODEL)
    if len(versions) != 2:
        problems.append(f"expected two versions (two models), found {versions}")
    if not metadata:
        problems += check_store_and_serving(output_dir)
    return _result(
        f"two runs at once ({name})", "a second run of the pipeline starts while the first runs", problems, seconds,
        "the second waited, said for whom, then pushed a version of its own",
    )


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: str = TMPFS_SIZE) -> Iterator[Path]:
    mount_point.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=True,
                   capture_output=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root in a container that allows it)."""
    probe = Path(f"/tmp/chaos-mount-probe-{os.getpid()}")
    try:
        with tmpfs(probe, "1m"):
            return True
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError):
        return False
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * (1 << 16))
                handle.flush()


def bad_disk(work: Path, fault: str) -> CaseResult:
    """The serving directory on a disk that is full (`fault="full"`) or read-only: the push fails
    with one line, the served version stays, and the run after the disk is fixed pushes."""
    from components import publishing

    output_dir = work / f"disk-{fault}"
    with tmpfs(work / f"disk-{fault}-mount") as disk:
        serving = disk / MODEL
        paths = ("--serving-model-dir", str(serving), "--serving-tflite-dir", str(disk / "tflite"))
        first = run_pipeline(output_dir, *paths)
        assert first.returncode == 0, first.stdout
        (served,) = [p for p in serving.iterdir() if p.name.isdigit()]
        digest = publishing.tree_digest(str(served))
        if fault == "full":
            _fill(disk)
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        failed = run_pipeline(output_dir, *paths, *NEW_MODEL)
        problems = []
        expected = "No space left on device" if fault == "full" else "Read-only file system"
        error_lines = [line for line in failed.stdout.splitlines() if expected in line]
        if failed.returncode == 0 or not error_lines:
            problems.append(f"the push did not fail with {expected!r}: {failed.stdout[-400:]}")
        if [p.name for p in serving.iterdir() if p.name.isdigit()] != [served.name] or (
            publishing.tree_digest(str(served)) != digest
        ):
            problems.append("the served version changed")
        if fault == "full":
            (disk / "filler").unlink()
        else:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        rerun, seconds = _recover(output_dir, *paths, *NEW_MODEL)
        if rerun.returncode != 0 or len([p for p in serving.iterdir() if p.name.isdigit()]) != 2:
            problems.append(f"the run after the disk was fixed did not push: {rerun.stdout[-400:]}")
        problems += check_store_and_serving(output_dir, serving)
    said = error_lines[0].strip() if error_lines else ""
    return _result(
        f"{fault} disk under the Pusher", f"serving directory on a {TMPFS_SIZE} tmpfs made {fault}", problems, seconds,
        f"one line: `{said[:160]}`; served version untouched; pushed once the disk was fixed",
    )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_under_faults(work: Path, served_from: Path) -> List[CaseResult]:
    """The local server on two pushed versions: the newest deleted, a corrupt one pushed, a flood."""
    import shutil

    import requests

    from serving import launch, layout

    base = work / "server" / "serving"
    shutil.copytree(served_from, base / MODEL)
    versions = layout.versions(base / MODEL)
    assert len(versions) >= 2, versions
    server, rest_url = launch.start_rest_server(base, work / "server" / "serve.log", ["--poll-seconds", "0.2"])
    results = []
    try:
        url = f"{rest_url}/v1/models/{MODEL}"
        instance = {"culmen_length_mm": 49.9, "culmen_depth_mm": 16.1, "flipper_length_mm": 213.0,
                    "body_mass_g": 5400.0, "island": "Biscoe", "sex": "MALE"}

        def serving_version() -> Optional[int]:
            for status in requests.get(url, timeout=10).json().get("model_version_status", []):
                if status["state"] == "AVAILABLE":
                    return int(status["version"])
            return None

        def predicts() -> bool:
            return requests.post(f"{url}:predict", json=_request(instance), timeout=30).status_code == 200

        def until(condition: Callable[[], bool], timeout_s: float = 60) -> Optional[float]:
            started = time.monotonic()
            while time.monotonic() - started < timeout_s:
                if condition():
                    return round(time.monotonic() - started, 2)
                time.sleep(0.05)
            return None

        until(lambda: serving_version() == versions[-1])
        shutil.rmtree(base / MODEL / str(versions[-1]))
        seconds = until(lambda: serving_version() == versions[-2] and predicts())
        results.append(_result(
            "server: newest version deleted", f"rm -r version {versions[-1]} while it serves",
            [] if seconds is not None else ["the server did not fall back to the version before"], seconds,
            f"fell back to version {versions[-2]} and answered",
        ))
        corrupt = base / MODEL / str(versions[-2] + 10)
        corrupt.mkdir()
        (corrupt / layout.SAVED_MODEL_FILE).write_bytes(b"not a SavedModel")
        reported = until(
            lambda: any(s["state"] == "END" for s in requests.get(url, timeout=10).json()["model_version_status"])
        )
        problems = [] if reported is not None and serving_version() == versions[-2] and predicts() else [
            "the corrupt version replaced the good one or went unreported"]
        results.append(_result(
            "server: corrupt saved_model.pb pushed by hand", f"version {corrupt.name} with a garbage saved_model.pb",
            problems, reported, f"reported as END with its load error; version {versions[-2]} kept serving",
        ))
        results.append(_flood(url, instance, server.pid))
    finally:
        server.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
        if server.poll() is None:
            server.kill()
    return results


def _request(instance: dict) -> dict:
    """A predict request for penguin's raw-feature signature."""
    return {"signature_name": RAW_SIGNATURE, "instances": [instance]}


def _flood(url: str, instance: dict, pid: int) -> CaseResult:
    """Malformed, mistyped, misshapen and oversized requests: each must get a 4xx."""
    import http.client
    from urllib.parse import urlparse

    import requests

    parsed = urlparse(url)
    bad_bodies = [
        b"{not json", b"[]", b'{"instances": 5}', json.dumps({"instances": [{"island": [1, 2, 3]}]}).encode(),
        json.dumps(dict(_request(instance), signature_name="nope")).encode(),
        json.dumps(_request(dict(instance, body_mass_g="heavy"))).encode(),
        json.dumps(_request(dict(instance, body_mass_g=[1.0, 2.0]))).encode(),
        b'{"instances": [' + b"[" * 5000 + b"]" * 5000 + b"]}",
    ]
    before = _rss_mb(pid)
    statuses, wrong = [], set()
    for index in range(FLOOD_REQUESTS):
        body = bad_bodies[index % len(bad_bodies)]
        statuses.append(requests.post(f"{url}:predict", data=body, timeout=30).status_code)
        if not 400 <= statuses[-1] < 500:
            wrong.add(f"{statuses[-1]} for {body[:40]!r}")
    for _ in range(10):  # a Content-Length far over the limit, with a body that never comes
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        connection.putrequest("POST", f"{parsed.path}:predict")
        connection.putheader("Content-Length", str(10 ** 10))
        connection.endheaders()
        statuses.append(connection.getresponse().status)
        connection.close()
    growth = _rss_mb(pid) - before
    still = requests.post(f"{url}:predict", json=_request(instance), timeout=30).status_code
    problems = []
    if wrong or not all(400 <= status < 500 for status in statuses):
        problems.append(f"non-4xx answers: {sorted(wrong) or sorted(set(statuses))}")
    if growth > MAX_FLOOD_RSS_GROWTH_MB:
        problems.append(f"memory grew by {growth:.0f} MB")
    if still != 200:
        problems.append(f"a good request got {still} after the flood")
    return _result(
        "server: flood of bad requests",
        f"{len(statuses)} malformed, mistyped, misshapen, deeply nested and oversized requests",
        problems, None, f"all 4xx ({sorted(set(statuses))}); RSS {growth:+.0f} MB; a good request answered after",
    )


def run_all(work: Path) -> List[CaseResult]:
    """The whole matrix; a case that cannot run here (no mount, no MySQL) is left out with a row saying so."""
    probe = work / "nodes"
    first = run_pipeline(probe)
    assert first.returncode == 0, first.stdout
    nodes = node_names(first.stdout)
    after_trainer = nodes.index("Trainer")
    results = [kill_during_node(work, node, after_a_good_run=i > after_trainer) for i, node in enumerate(nodes)]
    results.append(kill_during_push_copy(work))
    results.append(two_runs_at_once(work))
    mysql = os.environ.get("MLMD_MYSQL_TEST_ADDRESS")
    if mysql:
        results.append(two_runs_at_once(work, "--metadata-mysql", mysql, name="MySQL"))
    else:
        results.append(CaseResult("two runs at once (MySQL)", "needs $MLMD_MYSQL_TEST_ADDRESS", "not run", None, True))
    if can_mount():
        results += [bad_disk(work, "full"), bad_disk(work, "read-only")]
    else:
        results.append(CaseResult("full / read-only disk", "needs permission to mount a tmpfs", "not run", None, True))
    results += server_under_faults(work, work / "concurrent-SQLite" / "serving" / MODEL)
    return results


def to_markdown(results: Sequence[CaseResult], machine: str) -> str:
    lines = [
        "# Faults: what a crash, a second run, a bad disk or bad requests leave behind",
        "",
        f"Machine: {machine}. `make chaos` (`python -m bench chaos`), model {MODEL}.",
        "Each kill case is followed by the same run again; its checks: every served version is byte-identical",
        "to a trained model, no staging directory is left, no COMPLETE execution lost an output, none is left",
        "RUNNING, SQLite's integrity_check is ok and `inspect runs` answers. Recovery: seconds from the fault",
        "to the next good run or answer.",
        "",
        "| case | what was done | outcome | recovery s | passed |",
        "|---|---|---|---:|---|",
    ]
    for r in results:
        recovery = "" if r.recovery_s is None else f"{r.recovery_s}"
        lines.append(f"| {r.case} | {r.action} | {r.outcome} | {recovery} | {'yes' if r.passed else '**NO**'} |")
    return "\n".join(lines) + "\n"


def write(results: Sequence[CaseResult], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_description()
    (results_dir / "chaos.json").write_text(json.dumps({"machine": machine, "cases": [asdict(r) for r in results]},
                                                       indent=1))
    path = results_dir / "chaos.md"
    path.write_text(to_markdown(results, machine))
    return path
