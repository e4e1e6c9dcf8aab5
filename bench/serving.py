"""The local server under load: latency (p50/p99) and throughput, REST and gRPC, single and
batched requests, at a few concurrency levels, against calling the signature in-process.

A penguin model is pushed by a real pipeline run; the server runs in its own process
(`python -m serving serve`), as it would in use, so the load generator's threads do not
share its interpreter. Every request is a tf.Example request to `serving_examples`.
"""

import json
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, List

import numpy as np

from bench.pipeline_speed import PROJECT_ROOT, RUN_TIMEOUT_S, machine_description

MODEL = "penguin"
SIGNATURE = "serving_examples"
BATCH_SIZES = (1, 32)
CONCURRENCY = (1, 4, 16)
REQUESTS_PER_CASE = 400
WARMUP_REQUESTS = 20
SERVER_START_TIMEOUT_S = 120


@dataclass
class Case:
    transport: str  # in-process, REST or gRPC
    batch: int
    concurrency: int
    requests: int
    p50_ms: float
    p99_ms: float
    requests_per_s: float
    examples_per_s: float
    p50_vs_in_process: float = 1.0


def _percentile(values: List[float], q: float) -> float:
    return float(np.percentile(values, q))


def _measure(call: Callable[[], None], concurrency: int, requests: int) -> tuple:
    """Latencies (s) of `requests` calls spread over `concurrency` threads, and wall time."""
    for _ in range(WARMUP_REQUESTS):
        call()

    def timed(_: int) -> float:
        started = time.perf_counter()
        call()
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(timed, range(requests)))
    return latencies, time.perf_counter() - started


def _case(transport: str, batch: int, concurrency: int, call: Callable[[], None]) -> Case:
    requests = REQUESTS_PER_CASE if batch == 1 else REQUESTS_PER_CASE // 4
    latencies, wall = _measure(call, concurrency, requests)
    return Case(
        transport,
        batch,
        concurrency,
        requests,
        round(statistics.median(latencies) * 1000, 2),
        round(_percentile(latencies, 99) * 1000, 2),
        round(requests / wall, 1),
        round(requests * batch / wall, 1),
    )


def _per_thread(new_client: Callable[[], object], call: Callable[[object], object]) -> Callable[[], None]:
    """`call` with a client of the calling thread's own (one connection per thread)."""
    local = threading.local()

    def call_with_own_client() -> None:
        if not hasattr(local, "client"):
            local.client = new_client()
        call(local.client)

    return call_with_own_client


def _start_server(model_base_path: Path) -> tuple:
    process = subprocess.Popen(
        [sys.executable, "-m", "serving", "serve", "--model-base-path", str(model_base_path), "--port", "0", "--grpc-port", "0"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    rest_url = grpc_target = None
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    for line in process.stdout:
        rest = re.match(r"REST: (http://[\d.]+:\d+)/", line)
        grpc = re.match(r"gRPC: ([\d.]+:\d+) ", line)
        rest_url = rest.group(1) if rest else rest_url
        grpc_target = grpc.group(1) if grpc else grpc_target
        if (rest_url and grpc_target) or time.monotonic() > deadline:
            break
    if not (rest_url and grpc_target):
        process.kill()
        raise RuntimeError("the server did not print its addresses")
    return process, rest_url, grpc_target


def run(work_dir: Path) -> List[Case]:
    import tensorflow as tf

    from serving import client, layout

    completed = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--model", MODEL, "--output-dir", str(work_dir)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the {MODEL} run failed:\n{completed.stdout[-3000:]}")
    base = work_dir / "serving"
    version = layout.version_dir(base, MODEL, layout.versions(base / MODEL)[-1])
    signature = tf.saved_model.load(str(version)).signatures[SIGNATURE]
    process, rest_url, grpc_target = _start_server(base)
    try:
        rest = client.RestClient(rest_url)
        types = rest.raw_feature_types(MODEL)
        row = {"culmen_length_mm": 39.1, "culmen_depth_mm": 18.7, "flipper_length_mm": 181.0, "body_mass_g": 3750.0,
               "island": "Torgersen", "sex": "MALE"}
        cases = []
        for batch in BATCH_SIZES:
            serialized = [client.serialize_example(row, types)] * batch
            instances = client.examples_instances([row] * batch, types)
            examples = tf.constant(serialized)
            baseline = _case("in-process", batch, 1, lambda: signature(examples=examples))
            cases.append(baseline)
            for concurrency in CONCURRENCY:
                for transport, new_client, call in (
                    ("REST", lambda: client.RestClient(rest_url),
                     lambda c: c.predict(MODEL, instances, signature_name=SIGNATURE)),
                    ("gRPC", lambda: client.GrpcClient(grpc_target),
                     lambda c: c.predict(MODEL, {"examples": serialized}, signature_name=SIGNATURE)),
                ):
                    measured = _case(transport, batch, concurrency, _per_thread(new_client, call))
                    measured.p50_vs_in_process = round(measured.p50_ms / baseline.p50_ms, 1)
                    cases.append(measured)
        return cases
    finally:
        process.terminate()
        process.wait(timeout=60)


def to_markdown(cases: List[Case], machine: str) -> str:
    lines = [
        "# The local server under load",
        "",
        f"Machine: {machine}. Model: {MODEL} (pushed by a default run), signature `{SIGNATURE}`,",
        "tf.Example requests. Server: `python -m serving serve` in its own process; clients: one",
        "keep-alive connection per thread. Latency is per request; 'x in-process' is p50 latency",
        "over the p50 of calling the same signature in-process with the same batch.",
        "",
        "| transport | batch | concurrency | p50 ms | p99 ms | requests/s | examples/s | p50 x in-process |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        lines.append(
            f"| {c.transport} | {c.batch} | {c.concurrency} | {c.p50_ms} | {c.p99_ms} | {c.requests_per_s} | "
            f"{c.examples_per_s} | {c.p50_vs_in_process} |"
        )
    return "\n".join(lines) + "\n"


def write(cases: List[Case], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_description()
    (results_dir / "serving.json").write_text(json.dumps({"machine": machine, "cases": [asdict(c) for c in cases]}, indent=1))
    path = results_dir / "serving.md"
    path.write_text(to_markdown(cases, machine))
    return path
