"""Memory does not grow with the run's size: a run of 10^8 examples starts writing at once
with the memory of a run of a hundred (tasks are computed, never listed or digested one by
one), and SynthCharDataset of 2 * 10^7 items constructs in little memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

from synth import SynthCharDataset

# Runs `synth ocr` until its manifest lists a few rows, interrupts it as Ctrl-C does, and
# prints the peak resident memory (KB) of the command's processes. Ctrl-C is repeated until
# the run stops, as a user would: one that lands inside a compiled kernel's callback (numba's
# cache notification) is printed and dropped by ctypes. The run's own lines go to /dev/null.
# A run that ignores Ctrl-C for a minute is aborted with every thread's stack on stderr
# (faulthandler) and the test fails with it, rather than hanging the suite.
CUT_RUN = """
import os, resource, signal, subprocess, sys, time
from pathlib import Path
out, per_class = Path(sys.argv[1]), sys.argv[2]
code = "import sys; from synth.cli import app; app(sys.argv[1:])"
run = subprocess.Popen([sys.executable, "-X", "faulthandler", "-c", code, "ocr", "-o", str(out),
                        "--charset", "digits", "--per-class", per_class, "--workers", "1",
                        "--size", "16"], stdout=subprocess.DEVNULL)
manifest = out / "manifest.jsonl"
deadline = time.monotonic() + 600  # a liveness bound, far above what a good run needs
while run.poll() is None and time.monotonic() < deadline:
    if manifest.exists() and manifest.read_bytes().count(b"\\n") >= 3:
        break
    time.sleep(0.05)
interrupted = time.monotonic()
while run.poll() is None:
    if time.monotonic() - interrupted > 60:
        run.send_signal(signal.SIGABRT)  # faulthandler prints the stacks
        run.wait()
        sys.exit("the run ignored Ctrl-C for 60 s")
    run.send_signal(signal.SIGINT)
    try:
        run.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
rows = manifest.read_bytes().count(b"\\n") if manifest.exists() else 0
print(rows, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _cut_run(out: Path, per_class: int) -> tuple[int, int]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    result = subprocess.run(
        [sys.executable, "-c", CUT_RUN, str(out), str(per_class)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows, peak_kb = result.stdout.split()
    return int(rows), int(peak_kb)


def test_a_run_of_10_to_the_8_starts_with_the_memory_of_a_small_one(tmp_path: Path) -> None:
    small_rows, small = _cut_run(tmp_path / "small", 100)
    huge_rows, huge = _cut_run(tmp_path / "huge", 10**7)  # 10^8 examples
    assert small_rows >= 3 and huge_rows >= 3
    assert huge - small < 40_000, (small, huge)  # KB: no per-example memory before writing


def test_synth_char_dataset_of_2e7_items_constructs_in_little_memory() -> None:
    tracemalloc.start()
    try:
        dataset = SynthCharDataset("01", per_class=10**7)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(dataset) == 2 * 10**7
    assert dataset.tasks[len(dataset) - 1]["char"] == "1"
    assert peak < 20 * 2**20, peak  # bytes: the fonts' coverage, not a list of tasks
