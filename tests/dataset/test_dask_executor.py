"""The Dask executor on a real LocalCluster of worker processes started here: the same bytes
as a local run, results in job order, a killed worker or driver costs nothing but time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pytest
from distributed import Client, LocalCluster
from PIL import Image
from typer.testing import CliRunner

from augment.analysis.aim import Aim
from augment.cli.common import executor_option
from augment.cli.main import app as augment_app
from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.dask_executor import DaskExecutor
from augment.dataset.pool import AHEAD
from augment.dataset.writer import Progress, Run, write_dataset
from synth.cli import aim_ocr, plan_ocr
from synth.cli import app as synth_app

runner = CliRunner()
OCR = ["ocr", "--charset", "digits", "--per-class", "6", "--size", "16", "--seed", "3"]


@pytest.fixture
def client(dask_client: Client) -> Client:
    """The shared cluster (tests/conftest.py), with both its workers up."""
    dask_client.wait_for_workers(2, timeout=60)
    return dask_client


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _invoke(app: Any, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _square(x: int) -> int:
    return x * x


def test_results_come_in_job_order_and_jobs_are_drawn_lazily(client: Client) -> None:
    drawn: list[int] = []

    def jobs() -> Iterator[int]:
        for job in range(60):
            drawn.append(job)
            yield job

    executor = DaskExecutor(client)
    assert executor.workers == 2
    results = executor.map(_square, jobs())
    assert next(results) == 0
    assert len(drawn) <= executor.workers * AHEAD + 1  # never the whole run up front
    assert list(results) == [job * job for job in range(1, 60)]


@pytest.mark.parametrize("layout", [[], ["--shards", "16"]], ids=["files", "shards"])
def test_synth_ocr_on_the_cluster_writes_the_bytes_of_one_local_worker(
    client: Client, tmp_path: Path, layout: list[str]
) -> None:
    address = client.scheduler.address
    _invoke(synth_app, [*OCR, *layout, "-o", str(tmp_path / "local"), "--workers", "1"])
    dask = ["--executor", "dask", "--scheduler", address]
    _invoke(synth_app, [*OCR, *layout, "-o", str(tmp_path / "dask"), *dask])
    assert len(_tree(tmp_path / "local")) > 2
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def test_augment_images_on_the_cluster_writes_the_bytes_of_one_local_worker(
    client: Client, tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    for label in "ab":
        (tmp_path / "in" / label).mkdir(parents=True)
        for k in range(4):
            pixels = rng.integers(0, 256, (20, 20), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / "in" / label / f"{k}.png")
    args = ["images", str(tmp_path / "in"), "-n", "8", "--rotate", "10", "--seed", "1"]
    _invoke(augment_app, [*args, "-o", str(tmp_path / "local")])
    dask = ["--executor", "dask", "--scheduler", client.scheduler.address]
    _invoke(augment_app, [*args, "-o", str(tmp_path / "dask"), *dask])
    assert len(_tree(tmp_path / "local")) == 64 + 3  # the copies, manifest, metadata, run.json
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def test_a_worker_killed_mid_run_changes_nothing(client: Client, tmp_path: Path) -> None:
    # more jobs than the executor queues ahead, so some are still to run at the first step
    plan = plan_ocr(None, "digits", 60, "16", None, None, None)
    tasks, maker, command = aim_ocr(plan, Aim(None, 0.25), 5)
    killed: list[int] = []

    def kill_a_busy_worker(_: int) -> None:
        busy = [address for address, keys in client.processing().items() if keys]
        if killed or not busy:  # between tasks: kill at a later step
            return
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    write_dataset(tmp_path / "local", tasks, maker, run=Run(command, 5))
    run = Run(command, 5, executor=DaskExecutor(client))
    write_dataset(tmp_path / "dask", tasks, maker, run=run, progress=Progress(kill_a_busy_worker))
    assert killed and killed[0] not in client.run(os.getpid).values()
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


DRIVER = "import sys; from synth.cli import app; sys.argv[0] = 'synth'; app()"


def test_a_killed_driver_resumes_to_the_same_bytes(client: Client, tmp_path: Path) -> None:
    args = [*OCR[:4], "30", *OCR[5:]]  # 300 crops: time to kill the driver half-way
    dask = ["--executor", "dask", "--scheduler", client.scheduler.address]
    out = tmp_path / "dask"
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, *args, "-o", str(out), *dask])
    manifest, deadline = out / "manifest.jsonl", time.time() + 120
    while not (manifest.exists() and manifest.read_text().count("\n") >= 20):
        assert driver.poll() is None and time.time() < deadline, "the run ended too early"
        time.sleep(0.05)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    assert manifest.read_text().count("\n") < 300
    _invoke(synth_app, [*args, "-o", str(out), *dask])
    _invoke(synth_app, [*args, "-o", str(tmp_path / "local")])
    assert _tree(out) == _tree(tmp_path / "local")


def test_the_scheduler_defaults_to_dasks_own_setting(client: Client) -> None:
    address = client.scheduler.address
    with dask.config.set({"scheduler-address": address}):  # as DASK_SCHEDULER_ADDRESS sets
        executor = executor_option("dask", None)
    assert isinstance(executor, DaskExecutor) and executor.client.scheduler.address == address
    executor.close()
    assert executor_option("local", None) is None


def test_dask_without_a_scheduler_or_the_package_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with dask.config.set({"scheduler-address": None}):
        result = runner.invoke(synth_app, [*OCR, "-o", str(tmp_path / "o"), "--executor", "dask"])
    assert result.exit_code == 1
    assert "needs the scheduler's address" in result.output and not (tmp_path / "o").exists()
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'augsynth\[dask\]'"):
        DaskExecutor("tcp://127.0.0.1:1")


def test_workers_that_do_not_see_a_shared_path_stop_the_run_before_any_job(
    client: Client, tmp_path: Path
) -> None:
    executor = DaskExecutor(client, shared=[tmp_path, tmp_path / "elsewhere"])
    with pytest.raises(ConfigError, match=r"Dask worker .* does not see .*elsewhere"):
        next(executor.map(_square, range(3)))


def test_a_lost_scheduler_is_one_line_saying_how_to_resume() -> None:
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0")
    with DaskExecutor(cluster.scheduler_address) as executor:
        results = executor.map(time.sleep, [0.5] * 20)
        next(results)
        cluster.close()
        with pytest.raises(
            AugsynthError, match=r"dropped a job.*run the same command again"
        ) as err:
            list(results)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("app", "command"), [(synth_app, "ocr"), (augment_app, "images"), (augment_app, "audio")]
)
def test_every_command_offers_the_executor_and_says_how_to_install_it(
    app: Any, command: str
) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "300"})
    assert "--executor" in result.output and "--scheduler" in result.output
    assert "pip install 'augsynth[dask]'" in result.output
