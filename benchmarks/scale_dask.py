"""`synth ocr` crops per second on a Dask LocalCluster of 1 and 2 worker processes, beside
the local pool (`--workers 1` and `2`) in the same run: what `--executor dask` costs over
local processes on one machine, and how it scales with worker processes.

Each path writes the same crops (alnum, 32x32, photo preset, one PNG file each) through
`write_dataset`, as the command does. The paths take turns, round after round, and each
keeps its best round (the load of a shared machine moves under any single pass); an
untimed first round fills the glyph caches, the workers' too. Cluster workers are
started as `dask worker` starts them (one thread each, nanny, processes); the time to
start a cluster and connect is reported apart. Every pass is checked to write the same
manifest as the local one-worker pass.

    python benchmarks/scale_dask.py [--quick]

Ends with name=value lines: crops per second per path, and ratios against the local pool
with the same number of processes (dask_N_vs_local_N) and against one local process; and
CPU milliseconds per crop of every process involved (driver with the scheduler, local or
cluster workers), whose ratio (dask_N_cpu_per_crop_vs_local_N) is what the cluster costs
in work and moves less with the machine's load than the rates; and the cluster workers'
CPU alone per crop against all of a local run's (dask_N_worker_cpu_vs_local_N_cpu): the
work that scales out with the workers, the rest being the driver's and the scheduler's.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from augment.analysis.aim import Aim  # noqa: E402
from augment.dataset.dask_executor import DaskExecutor  # noqa: E402
from augment.dataset.writer import Run, write_dataset  # noqa: E402
from synth.cli import aim_ocr, plan_ocr  # noqa: E402

SEED = 0


def write_pass(
    out: Path, per_class: int, make_run: Callable[[dict[str, Any], int], Run], clients: list[Client]
) -> tuple[float, float, float]:
    """Seconds, CPU seconds of every process involved, and of the cluster workers alone,
    to write SEED's crops into `out` with the run `make_run` gives."""
    plan = plan_ocr(None, "alnum", per_class, "32", None, None, None)
    tasks, maker, command = aim_ocr(plan, Aim(None, 0.25), SEED)
    (here, workers), start = cpu_seconds(clients), time.perf_counter()
    write_dataset(out, tasks, maker, run=make_run(command, SEED))
    wall = time.perf_counter() - start
    here_after, workers_after = cpu_seconds(clients)
    return wall, here_after - here + workers_after - workers, workers_after - workers


def cpu_seconds(clients: list[Client]) -> tuple[float, float]:
    """CPU time so far of this process (driver and the in-process schedulers) with its
    finished children (the local pool's workers), and of every cluster worker process."""
    here = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        here += usage.ru_utime + usage.ru_stime
    return here, sum(sum(client.run(_process_cpu).values()) for client in clients)


def _process_cpu() -> float:
    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def local(workers: int) -> Callable[[dict[str, Any], int], Run]:
    return lambda command, seed: Run(command, seed, workers)


def on_cluster(client: Client) -> Callable[[dict[str, Any], int], Run]:
    return lambda command, seed: Run(command, seed, executor=DaskExecutor(client))


def start_cluster(stack: ExitStack, workers: int) -> tuple[Client, float]:
    """A LocalCluster of `workers` processes and a client; seconds until all are up."""
    start = time.perf_counter()
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    )
    client = stack.enter_context(Client(cluster))
    client.wait_for_workers(workers)
    return client, time.perf_counter() - start


def measure(root: Path, per_class: int, rounds: int) -> dict[str, Any]:
    """Best-of-`rounds` seconds and CPU seconds per path, the paths alternated round by
    round (a shared machine's load moves under any single pass); round 0 only warms up."""
    results: dict[str, Any] = {"crops": per_class * 62}
    with ExitStack() as stack:
        paths = {"local_1": local(1), "local_2": local(2)}
        clients = []
        for workers in (1, 2):
            client, started = start_cluster(stack, workers)
            results[f"dask_{workers}_cluster_start_s"] = round(started, 2)
            paths[f"dask_{workers}"] = on_cluster(client)
            clients.append(client)
        best = {name: [float("inf")] * 3 for name in paths}
        for round_ in range(rounds + 1):
            for name, make_run in paths.items():
                seconds = write_pass(root / f"{name}_{round_}", per_class, make_run, clients)
                if round_:
                    best[name] = [min(b, s) for b, s in zip(best[name], seconds, strict=True)]
    per_crop = 1000 / results["crops"]
    for name, (wall, cpu, worker_cpu) in best.items():
        results[f"{name}_crops_per_s"] = round(results["crops"] / wall, 1)
        results[f"{name}_cpu_ms_per_crop"] = round(cpu * per_crop, 3)
        if name.startswith("dask"):
            results[f"{name}_worker_cpu_ms_per_crop"] = round(worker_cpu * per_crop, 3)
    reference = (root / "local_1_0" / "manifest.jsonl").read_bytes()
    results["same_manifest"] = all(
        (folder / "manifest.jsonl").read_bytes() == reference for folder in root.iterdir()
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 crops per class, 2 rounds")
    quick = parser.parse_args().quick
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(Path(tmp), 10 if quick else 40, 2 if quick else 3)
    rate = {w: results[f"local_{w}_crops_per_s"] for w in (1, 2)}
    for w in (1, 2):
        results[f"dask_{w}_vs_local_{w}"] = round(results[f"dask_{w}_crops_per_s"] / rate[w], 2)
        results[f"dask_{w}_vs_local_1"] = round(results[f"dask_{w}_crops_per_s"] / rate[1], 2)
        local_cpu = results[f"local_{w}_cpu_ms_per_crop"]
        cpu = results[f"dask_{w}_cpu_ms_per_crop"] / local_cpu
        results[f"dask_{w}_cpu_per_crop_vs_local_{w}"] = round(cpu, 2)
        worker_cpu = results[f"dask_{w}_worker_cpu_ms_per_crop"] / local_cpu
        results[f"dask_{w}_worker_cpu_vs_local_{w}_cpu"] = round(worker_cpu, 2)
    for name, value in results.items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
