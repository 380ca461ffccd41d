"""Scaling of the three commands: throughput against --workers, and memory and time to the
first example against the run's size.

- throughput: `synth ocr`, `augment images` and `augment audio` (files and shards
  layouts) at --workers 1 and 2, each run in a fresh interpreter after a sync of the disk;
  costs per example are the steady state, (T(N2) - T(N1)) / (N2 - N1), so start-up
  (imports, fonts, fork) cancels out, the least over 3 rounds (--quick: 2) that interleave
  the worker counts; `_round_least`/`_round_most` are the lowest and highest 2-over-1
  wall ratio of single rounds. Wall-clock ratios need an idle machine; the CPU seconds
  of the main process and of the workers do not, so `w2_over_w1_idle` is the ratio an
  idle 2-core machine gives from them, `w2_main_cpu_share` what the main process
  (manifest, tar writing, pickling) takes, and `w2_cpu_over_w1_cpu` the CPU the pool
  adds (pickling, fork, per-process caches). Each run writes a folder of its own and none
  is deleted before the end (see `paired_costs`): the temporary folder holds every run's
  output until then.
- the disk first: the throughput part waits (up to 7 min) until creating a file in the
  temporary folder costs at most twice its CPU on tmpfs (`wait_for_the_disk`: on ext4
  without a journal, a file made within minutes of a mass deletion costs ~10x).
- machine ceiling: right before each command's 1-vs-2 pair, a fixed reference workload
  like ours (`reference_work`: NumPy on crops and on an 8 MiB array, libdeflate, JPEG
  decoding) in 1 forked process and in 2: `scale_machine_ceiling_<command>_<layout>` is
  its 2-over-1 rate, what the machine gives two processes at that moment (2.0 on two idle
  cores of their own; less when other work or other tenants of the host share them),
  `scale_<command>_<layout>_vs_ceiling` our wall ratio over it, and
  `scale_machine_cpu_p2_over_p1_<command>_<layout>` the reference's CPU per unit at 2
  processes over 1 (above 1: the cores slow each other down).
- publish: CPU per file of writing 5 kB files atomically into two shared folders, by 1
  and 2 processes: `write_atomic` (unnamed, then linked) beside the temporary renamed
  over the target it used before.
- size: `synth ocr` with 10^4 .. 10^8 examples (--quick: 10^4 .. 10^6), cut (as Ctrl-C
  does) once its manifest lists a few rows: peak RSS of the command's processes and the
  seconds until the first row; and the rerun of a folder whose manifest lists all of
  10^4 .. 10^6 examples (--quick: 10^5): peak RSS and seconds to read it and finish.

    python benchmarks/scale.py [--quick] [--only-throughput] [--dir /dev/shm]

Ends with name=value lines, like the other benchmarks.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
from itertools import count
from operator import itemgetter
from pathlib import Path

import deflate
import numpy as np
import simplejpeg
from PIL import Image

from augment.dataset.atomic import temporary_sibling, write_atomic

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AUDIO_OPTIONS = ["--noise", "crowd,car", "--snr", "0:20", "--phone"]  # the README's example


def cores() -> int:
    return len(os.sched_getaffinity(0))


RUN_IN_PROCESS = """
import resource, sys, time
from importlib import import_module
app = import_module(sys.argv[1]).app
start = time.perf_counter()
app(sys.argv[2:], standalone_mode=False)
wall = time.perf_counter() - start
own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(wall, own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime)
"""


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds of one command, and the CPU seconds of its main process and of its
    worker processes (run in a fresh interpreter, so nothing else is counted)."""
    module = "synth.cli" if Path(argv[0]).name == "synth" else "augment.cli.main"
    command = [sys.executable, "-c", RUN_IN_PROCESS, module, *argv[1:]]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)}: {done.stderr.strip()}")
    wall, own, workers = (float(x) for x in done.stdout.split()[-3:])
    return wall, own, workers


Costs = tuple[float, float, float]  # per example: wall, main-process CPU, worker CPU seconds


def paired_costs(
    make_argv, small: int, large: int, runs: Path, rounds: int
) -> tuple[Costs, Costs, list[float]]:
    """Per example at 1 and at 2 workers, between a run of `small` and one of `large`
    examples (start-up cancels out): wall seconds, main-process CPU seconds and worker CPU
    seconds; and each round's 2-over-1 wall ratio.

    The rounds interleave the two worker counts (1 then 2, `rounds` times), so load that
    comes and goes on the host falls on both; each cost is the least over the rounds, as
    the least disturbed. Before each run the disk is synced: runs follow each other within
    seconds, and the kernel writing back the run before's files (ext4 delays it by up to 30
    s) took CPU from the next, most from a 2-worker run, which has no idle core to hide it.

    Every run writes into a folder of its own under `runs`, and nothing is deleted until
    the benchmark ends: on ext4 without a journal (this machine's disk) a file made soon
    after thousands were deleted costs several times its CPU (the inode allocator steps
    over each recently deleted inode), which made each run's cost depend on how much the
    run before it had written (rm -rf of 6,000 files, then 3,200 files written: 233-263 us
    of CPU each instead of 32)."""
    measured: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
    for _ in range(rounds):
        for workers in (1, 2):
            for n in (small, large):
                os.sync()
                run = timed(make_argv(workers)(n, runs / f"run{next(RUN_NUMBERS)}"))
                measured.setdefault((workers, n), []).append(run)

    def per_example(workers: int, pick) -> Costs:
        a, b = (pick(measured[workers, n]) for n in (small, large))
        return tuple((y - x) / (large - small) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]

    def least(runs_of_n: list[tuple[float, float, float]]) -> list[float]:
        return [min(run[i] for run in runs_of_n) for i in range(3)]

    ratios = [
        per_example(1, itemgetter(k))[0] / per_example(2, itemgetter(k))[0] for k in range(rounds)
    ]
    return per_example(1, least), per_example(2, least), ratios


RUN_NUMBERS = count()


def ideal_speedup(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """The 2-worker over 1-worker rate an idle 2-core machine would give, from CPU time: at
    2 workers the main process (m) and the workers (w, both together) share 2 cores, so the
    rate is at most 2 / (m + w), 1 / m and 2 / w examples per CPU second."""
    cpu_one = one[1] + one[2]
    m, w = two[1], two[2]
    return cpu_one * min(2 / (m + w), 1 / max(m, 1e-12), 2 / max(w, 1e-12))


def synth_argv(workers: int, extra: list[str]):
    def argv(n: int, out: Path) -> list[str]:
        per_class = max(1, n // 10)
        return [str(BIN / "synth"), "ocr", "-o", str(out), "--charset", "digits",
                "--per-class", str(per_class), "--workers", str(workers), *extra]  # fmt: skip

    return argv


def copies_argv(command: str, inputs: Path, count: int, workers: int, extra: list[str]):
    def argv(n: int, out: Path) -> list[str]:
        copies = max(1, n // count)
        return [str(BIN / "augment"), command, str(inputs), "-o", str(out), "-n", str(copies),
                "--workers", str(workers), *extra]  # fmt: skip

    return argv


def make_images(folder: Path, count: int = 20) -> Path:
    """Class folders of 48 px letter-like images."""
    rng = np.random.default_rng(0)
    for i in range(count):
        image = rng.integers(180, 256, (48, 48, 3), dtype=np.uint8)
        image[8:40, 20 + i % 8 : 26 + i % 8] = 30
        path = folder / "ab"[i % 2] / f"{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(path)
    return folder


def file_cpu_us(folder: Path, files: int = 2000) -> float:
    """CPU microseconds per file of `write_atomic`ing 1.2 kB files into a fresh folder."""
    data = np.random.default_rng(0).bytes(1200)
    folder.mkdir(parents=True)
    start = time.process_time()
    for i in range(files):
        write_atomic(folder / str(i % 10) / f"{i:07d}.png", data)
    return (time.process_time() - start) / files * 1e6


SETTLE_LIMIT_S = 420  # ext4 skips an inode deleted within 60 s, or 360 s if not yet written
SETTLED_WITHIN = 2.0  # times the per-file CPU on tmpfs


def wait_for_the_disk(tmp: Path) -> None:
    """Wait until creating a file in `tmp` costs what it costs on tmpfs, or SETTLE_LIMIT_S.

    ext4 without a journal (this machine's disk) skips each inode deleted in the last
    minute, or six while its inode table block is unwritten, when it allocates one: right
    after a test run or an earlier benchmark deleted ~100,000 files, a file cost 190-250 us
    of CPU instead of 20, for minutes, and a 2-worker run lost more to it than a 1-worker
    one. `scale_file_cpu_us` is the cost the throughput part started with."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or tmp.resolve().is_relative_to(shm.resolve()):
        return
    with tempfile.TemporaryDirectory(dir=shm) as quick_dir:
        floor = file_cpu_us(Path(quick_dir) / "files")
    waited = 0
    while (cost := file_cpu_us(tmp / f"settle{next(RUN_NUMBERS)}")) > SETTLED_WITHIN * floor:
        if waited >= SETTLE_LIMIT_S:
            break
        print(f"creating a file costs {cost:.0f} us of CPU ({floor:.0f} on tmpfs): "
              "waiting for the disk to settle", file=sys.stderr)  # fmt: skip
        time.sleep(30)
        waited += 30
    say({}, "scale_file_cpu_us", round(cost, 1))
    say({}, "scale_file_cpu_us_tmpfs", round(floor, 1))
    say({}, "scale_waited_for_disk_s", waited)


def throughput(tmp: Path, quick: bool, only: list[str] | None = None) -> None:
    """Per command and layout: wall rate at 1 and 2 workers and its ratio (noisy on a busy
    machine), the machine's ceiling measured just before (`machine_ceiling`) and the ratio
    over it, the main process's share of the CPU at 2 workers, and the ratio an idle
    2-core machine would give (`ideal_speedup`)."""
    speech = ROOT / "examples" / "speech"
    images = make_images(tmp / "images")
    scale, rounds = (1, 2) if quick else (4, 3)
    commands = {
        "synth": (lambda w, e: synth_argv(w, e), 1000, 1000 + 4000 * scale),
        "images": (
            lambda w, e: copies_argv("images", images, 20, w, e),
            1000,
            1000 + 4000 * scale,
        ),
        "audio": (
            lambda w, e: copies_argv("audio", speech, 6, w, [*AUDIO_OPTIONS, *e]),
            48,
            48 + 96 * scale,
        ),
    }
    results: dict[str, float] = {}
    inputs = reference_inputs()
    for name, (argv, small, large) in commands.items():
        if only and name not in only:
            continue
        for layout, extra in (("files", []), ("shards", ["--shards", "100"])):
            key = f"scale_{name}_{layout}"
            ceiling, reference_cpu = machine_ceiling(inputs)
            one, two, ratios = paired_costs(partial(argv, e=extra), small, large, tmp, rounds)
            say(results, f"{key}_w1_per_s", round(1 / one[0], 1))
            say(results, f"{key}_w2_per_s", round(1 / two[0], 1))
            say(results, f"{key}_w2_over_w1_wall", round(one[0] / two[0], 2))
            say(results, f"{key}_w2_over_w1_wall_round_least", round(min(ratios), 2))
            say(results, f"{key}_w2_over_w1_wall_round_most", round(max(ratios), 2))
            say(results, f"scale_machine_ceiling_{name}_{layout}", round(ceiling, 2))
            say(results, f"scale_machine_cpu_p2_over_p1_{name}_{layout}", round(reference_cpu, 2))
            say(results, f"{key}_vs_ceiling", round(one[0] / two[0] / ceiling, 2))
            say(results, f"{key}_w2_main_cpu_share", round(two[1] / (two[1] + two[2]), 3))
            say(results, f"{key}_w2_cpu_over_w1_cpu", round((two[1] + two[2]) / sum(one[1:]), 2))
            say(results, f"{key}_w2_over_w1_idle", round(ideal_speedup(one, two), 2))


REFERENCE_UNITS = 1200  # ~1 s in one process on the development machine


def reference_inputs() -> tuple[np.ndarray, np.ndarray, bytes, bytes]:
    """What the reference workload works on: a 48 px crop, an 8 MiB float32 array, raw
    PNG rows and a JPEG of the crop."""
    rng = np.random.default_rng(0)
    crop = rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)
    big = rng.random((1024, 2048), dtype=np.float32)
    rows = rng.integers(180, 256, (48, 48 * 3 + 1), dtype=np.uint8).tobytes()
    return crop, big, rows, simplejpeg.encode_jpeg(crop, quality=90)


def reference_work(units: int, inputs: tuple[np.ndarray, np.ndarray, bytes, bytes]) -> None:
    """A fixed amount of work of the kinds the commands do: array steps on a crop (a
    fifth of the time), a pass over an 8 MiB array (the big images and noise buffers that
    leave the core's cache; ~45%), PNG compression with libdeflate and JPEG decoding."""
    crop, big, rows, jpeg = inputs
    big = big.copy()
    for _ in range(units):
        for k in range(20):
            pixels = crop.astype(np.float32) * (1.0 + k / 100) + 3.0
            np.clip(pixels, 0, 255, out=pixels)
        big += 0.001
        deflate.deflate_compress(rows + pixels.astype(np.uint8).tobytes(), 6)
        simplejpeg.decode_jpeg(jpeg)
        simplejpeg.decode_jpeg(jpeg)


def reference_run(processes: int, inputs) -> tuple[float, float]:
    """Wall and CPU seconds of `processes` forked processes doing REFERENCE_UNITS each."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    pids = []
    for _ in range(processes):
        if (pid := os.fork()) == 0:
            reference_work(REFERENCE_UNITS, inputs)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return wall, cpu


def machine_ceiling(inputs) -> tuple[float, float]:
    """The 2-process over 1-process rate of the reference workload on this machine now
    (what 2 workers can reach at best if our work scales like it), and its CPU per unit at
    2 processes over 1 (above 1: the two cores slow each other down, e.g. through the
    caches and memory bandwidth they share with other tenants of the host)."""
    wall_one, cpu_one = reference_run(1, inputs)
    wall_two, cpu_two = reference_run(2, inputs)
    return 2 * wall_one / wall_two, cpu_two / (2 * cpu_one)


def renamed(path: Path, data: bytes) -> None:
    """The anchor: how `write_atomic` published a file before, a temporary sibling renamed
    over the target (what it still does for a file that exists)."""
    tmp = temporary_sibling(path)
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def publish_cpu(write, folder: Path, files: int, processes: int) -> float:
    """CPU microseconds per file of `processes` forked processes writing `files` 5 kB files
    between them into the same two class folders, in jobs of 32 as the pool hands them out."""
    data = np.random.default_rng(0).bytes(5000)
    for name in "ab":
        (folder / name).mkdir(parents=True)
    pids = []
    for first in range(processes):
        if (pid := os.fork()) == 0:
            for job in range(first, files // 32, processes):
                for i in range(job * 32, job * 32 + 32):
                    write(folder / "ab"[job % 2] / f"{i:07d}.png", data)
            os._exit(0)
        pids.append(pid)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for pid in pids:
        os.waitpid(pid, 0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return seconds / files * 1e6


def publish(tmp: Path, quick: bool) -> None:
    """CPU per file of writing a file atomically, now (unnamed, then linked) and before
    (temporary renamed), by 1 and 2 processes into the same folders: the floor of the files
    layout's per-example cost, and what two workers add to it."""
    files = 3200 if quick else 9600
    for name, write in (("unnamed", write_atomic), ("renamed", renamed)):
        for processes in (1, 2):
            runs = [publish_cpu(write, tmp / f"publish{next(RUN_NUMBERS)}", files, processes)
                    for _ in range(3)]  # fmt: skip
            say({}, f"scale_publish_{name}_p{processes}_cpu_us", round(min(runs), 1))


CUT = """
import resource, signal, subprocess, sys, time
from pathlib import Path
out, per_class = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
run = subprocess.Popen([sys.argv[3], "ocr", "-o", str(out), "--charset", "digits",
                        "--per-class", per_class, "--workers", "1"], stderr=subprocess.DEVNULL)
manifest = out / "manifest.jsonl"
while run.poll() is None and not (manifest.exists() and manifest.stat().st_size > 0):
    time.sleep(0.02)
first = time.perf_counter() - start
run.send_signal(signal.SIGINT)
run.wait()
print(first, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def memory(tmp: Path, quick: bool) -> dict[str, float]:
    """Peak RSS (MB) and seconds to the first example of `synth ocr` against its size."""
    results: dict[str, float] = {}
    for exponent in range(4, 7 if quick else 9):
        out = tmp / f"size{exponent}"
        argv = [sys.executable, "-c", CUT, str(out), str(10 ** (exponent - 1)), str(BIN / "synth")]
        first, peak_kb = subprocess.run(
            argv, check=True, capture_output=True, text=True
        ).stdout.split()
        say(results, f"scale_synth_1e{exponent}_peak_rss_mb", round(int(peak_kb) / 1024, 1))
        say(results, f"scale_synth_1e{exponent}_first_example_s", round(float(first), 2))
    return results


RESUME = """
import json, resource, subprocess, sys, time
from pathlib import Path
out, per_class, synth = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
manifest = out / "manifest.jsonl"
row = json.loads(manifest.read_text().splitlines()[0])
with open(manifest, "w") as handle:  # every example listed: the rerun only reads and finishes
    for index in range(per_class * 10):
        handle.write(json.dumps({**row, "index": index}, separators=(",", ":")) + "\\n")
start = time.perf_counter()
subprocess.run([synth, "ocr", "-o", str(out), "--charset", "digits", "--per-class",
                str(per_class), "--workers", "1"], check=True, capture_output=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def resume(tmp: Path, quick: bool) -> None:
    """Peak RSS (MB) and seconds of `synth ocr` rerun into a folder whose manifest lists
    every example (copies of its first real row): reading the manifest and writing
    metadata.parquet, what a resume and a finish cost."""
    for exponent in range(4, 6 if quick else 7):
        out, per_class = tmp / f"resume{exponent}", str(10 ** (exponent - 1))
        cut = [sys.executable, "-c", CUT, str(out), per_class, str(BIN / "synth")]
        subprocess.run(cut, check=True, capture_output=True)
        argv = [sys.executable, "-c", RESUME, str(out), per_class, str(BIN / "synth")]
        seconds, peak_kb = subprocess.run(
            argv, check=True, capture_output=True, text=True
        ).stdout.split()
        say({}, f"scale_resume_1e{exponent}_peak_rss_mb", round(int(peak_kb) / 1024, 1))
        say({}, f"scale_resume_1e{exponent}_s", round(float(seconds), 1))


def say(results: dict[str, float], name: str, value: float) -> None:
    """Record a result and print it at once (a long run shows what it has so far)."""
    results[name] = value
    print(f"{name}={value}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs and sizes to 10^6")
    parser.add_argument("--only-throughput", action="store_true", help="skip the size runs")
    parser.add_argument(
        "--dir",
        help="where the runs write (default: the system's temporary folder); a tmpfs such "
        "as /dev/shm leaves out the kernel's file-system work, to see the toolkit's own",
    )
    parser.add_argument(
        "--commands",
        type=lambda text: text.split(","),
        help="throughput of these only: synth,images,audio (default: all three)",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.commands or []) - {"synth", "images", "audio"})
    if unknown:
        parser.error(f"--commands: unknown {', '.join(unknown)} (synth, images, audio)")
    if args.dir is not None and not Path(args.dir).is_dir():
        parser.error(f"--dir: {args.dir} is not a folder")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        say({}, "scale_cores", cores())
        if not args.only_throughput:
            memory(Path(tmp), args.quick)
            resume(Path(tmp), args.quick)
        publish(Path(tmp), args.quick)
        wait_for_the_disk(Path(tmp))
        throughput(Path(tmp), args.quick, args.commands)


if __name__ == "__main__":
    main()
