"""Synthetic character crops per second: ours vs trdg (TextRecognitionDataGenerator) in one run.

trdg 1.8 needs Pillow < 10, so it gets its own virtual environment, created on first use
under <cache>/bench/trdg-venv (<cache> = $AUGSYNTH_CACHE_DIR or ~/.cache/augsynth) with
`pip install trdg 'pillow<10'`. It renders single characters with skew, blur and
distortion (`trdg -i chars.txt -f 32 -k 10 -rk -bl 1 -rbl -d 3`), writing JPEG files; its
rate is the steady state, (2N - N) crops over T(2N) - T(N). trdg is also timed in memory,
through its Python generator with the same options (no files), as the anchor for our
in-memory path.

Ours, same characters, 32x32, in the same run:
- files:  `synth ocr` path (write_dataset + OcrCropMaker), photo preset, PNG files written;
- shards: the same with `--shards` (WebDataset tars of PNGs, a few shards per core);
- batch:  SynthCharDataset.batch, photo preset, in memory (what a training loop gets);
- make_batch: OcrCropMaker.make_batch in chunks of 32 with PNG encoding, no disk (what
  `synth ocr` does per process once write_dataset hands makers whole chunks);
- render: draw_render_params + render_char only, no augmentation;
- png_encode_and_write: only encode_png + write_atomic of crops made beforehand: the floor
  under the files path's cost per crop, however fast rendering and augmenting become.
Each in one process; files, shards and trdg also with every core. Ours is measured in the
steady state after one first pass with another seed (reported too), which fills the glyph
cache as the first few thousand crops of any run do.

    python benchmarks/synth.py [--quick]

Ends with name=value lines; synth_speedup_vs_trdg is the files path per process (the
like-for-like comparison: both write one augmented crop per file), and
synth_shards_speedup_vs_trdg the same crops written as shards, as large runs would be;
synth_batch_speedup_vs_trdg_in_memory compares the two in-memory paths. The *_cpu_*
ratios compare the same by CPU time consumed (steadier than wall time on a shared
machine): synth_batch_cpu_speedup_vs_trdg_in_memory, and for files and shards against
trdg's file rate per CPU second (its process's, one thread) synth_cpu_speedup_vs_trdg and
synth_shards_cpu_speedup_vs_trdg.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import string  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augment.core.seeding import example_rng, example_rngs  # noqa: E402
from augment.dataset.atomic import write_atomic  # noqa: E402
from augment.dataset.layouts import FilesLayout, ShardsLayout  # noqa: E402
from augment.dataset.writer import Run, write_dataset  # noqa: E402
from augment.images.encoding import encode_png  # noqa: E402
from synth import SynthCharDataset, draw_render_params, render_char  # noqa: E402
from synth.fonts.coverage import cache_dir  # noqa: E402
from synth.fonts.fontset import FontSet  # noqa: E402
from synth.maker import OcrCropMaker  # noqa: E402
from synth.run.config import augment_config  # noqa: E402
from synth.run.options import RenderOptions  # noqa: E402
from synth.run.plan import balanced_tasks  # noqa: E402

CHARS = string.digits + string.ascii_letters
TRDG_ARGS = ["-f", "32", "-k", "10", "-rk", "-bl", "1", "-rbl", "-d", "3"]


def trdg_bin() -> Path | None:
    """The trdg executable in its own venv, installed on first use (None if impossible)."""
    venv = cache_dir() / "bench" / "trdg-venv"
    exe = venv / "bin" / "trdg"
    if exe.exists():
        return exe
    print(f"creating {venv} (trdg + pillow<10), once", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "trdg", "pillow<10"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except (subprocess.CalledProcessError, OSError) as err:
        print(f"trdg unavailable: {err}", file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return exe if exe.exists() else None


def children_cpu() -> float:
    """CPU seconds of the finished child processes so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_trdg(exe: Path, count: int, threads: int, work: Path) -> tuple[float, float]:
    """Seconds of wall and of CPU time for trdg to write `count` single-character crops."""
    chars = work / "chars.txt"
    chars.write_text("\n".join(CHARS) + "\n")
    out = work / f"trdg-{count}-{threads}"
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(
        [
            str(exe),
            "-i",
            str(chars),
            *TRDG_ARGS,
            "-c",
            str(count),
            "-t",
            str(threads),
            "--output_dir",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=work,
    )
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    made = len(list(out.iterdir()))
    if made < count * 0.95:
        raise RuntimeError(f"trdg wrote {made} of {count} files")
    return seconds, cpu


TRDG_IN_MEMORY = """
import string, sys, time
from trdg.generators import GeneratorFromStrings

def seconds(count):
    crops = GeneratorFromStrings(
        list(string.digits + string.ascii_letters), count=count, size=32, skewing_angle=10,
        random_skew=True, blur=1, random_blur=True, distorsion_type=3,
    )
    start, cpu = time.perf_counter(), time.process_time()
    for _ in crops:
        pass
    return time.perf_counter() - start, time.process_time() - cpu

n = int(sys.argv[1])
seconds(n // 4)  # warm: fonts opened, caches filled
wall, cpu = seconds(n)
print(n / wall, n / cpu)
"""


def trdg_in_memory_rates(exe: Path, count: int) -> tuple[float, float]:
    """trdg's own Python generator (GeneratorFromStrings, the CLI's options above): crops
    as PIL images, no files; the like-for-like anchor for our in-memory path. Crops per
    second of wall time and of the process's CPU time."""
    python = exe.parent / "python"
    done = subprocess.run(
        [str(python), "-c", TRDG_IN_MEMORY, str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def trdg_rate(exe: Path, count: int, threads: int, work: Path) -> tuple[float, float]:
    """trdg's steady-state rates per second of wall and of CPU time (its CPU time is only
    complete with one thread): the extra crops of a run twice as long over the extra time
    (start-up, font loading and any first-pass cost cancel out)."""
    wall, cpu = run_trdg(exe, count, threads, work)
    wall_twice, cpu_twice = run_trdg(exe, 2 * count, threads, work)
    return count / max(wall_twice - wall, 1e-6), count / max(cpu_twice - cpu, 1e-6)


def ours_files(
    count: int, workers: int, work: Path, shard_size: int | None = None, seed: int = 0
) -> tuple[float, float]:
    """`synth ocr` through write_dataset: one PNG per crop, or WebDataset shards. Crops per
    second of wall time and of this process's CPU time (all of it with one worker, which
    runs in this process)."""
    per_class = max(1, count // len(CHARS))
    fonts = FontSet.load(None, CHARS)
    options = RenderOptions()
    tasks = balanced_tasks(CHARS, fonts, per_class)
    maker = OcrCropMaker(
        str(fonts.root),
        options.to_dict(),
        augment_config("photo"),
        FontSet.load(None, options.neighbours).coverage,
    )
    layout = ShardsLayout(shard_size) if shard_size else FilesLayout()
    name = f"{workers}-{'shards' if shard_size else 'files'}-{seed}"
    start, cpu = time.perf_counter(), time.process_time()
    write_dataset(work / f"ours-{name}", tasks, maker, run=Run({}, seed, workers), layout=layout)
    return len(tasks) / (time.perf_counter() - start), len(tasks) / (time.process_time() - cpu)


def ours_make_batch(count: int) -> float:
    """OcrCropMaker.make_batch in chunks of 32: PNG bytes + manifest data, no disk."""
    fonts = FontSet.load(None, CHARS)
    options = RenderOptions()
    tasks = balanced_tasks(CHARS, fonts, max(1, count // len(CHARS)))
    maker = OcrCropMaker(
        str(fonts.root),
        options.to_dict(),
        augment_config("photo"),
        FontSet.load(None, options.neighbours).coverage,
    )

    def run(seed: int) -> None:
        for first in range(0, len(tasks), 32):
            chunk = range(first, min(len(tasks), first + 32))
            maker.make_batch([tasks[i] for i in chunk], example_rngs(seed, chunk))

    run(1)
    start = time.perf_counter()
    run(0)
    return len(tasks) / (time.perf_counter() - start)


def ours_batch(count: int) -> tuple[float, float]:
    """SynthCharDataset.batch in batches of 256: crops per second of wall and CPU time."""
    data = SynthCharDataset(CHARS, per_class=max(1, count // len(CHARS)), seed=0)
    data.batch(range(min(len(data), 256)))  # warm the glyph cache
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(data), 256):
        data.batch(range(first, min(len(data), first + 256)))
    return len(data) / (time.perf_counter() - start), len(data) / (time.process_time() - cpu)


def file_floor(count: int, work: Path) -> float:
    """Crops/s of only encoding finished crops as PNG and writing each with write_atomic
    (what every crop of the files path pays on top of rendering and augmenting it)."""
    data = SynthCharDataset(CHARS, per_class=max(1, count // len(CHARS)), seed=0)
    crops, _ = data.batch(range(len(data)))
    folder = work / "floor"
    folder.mkdir()
    start = time.perf_counter()
    for i, crop in enumerate(crops):
        write_atomic(folder / f"{i}.png", encode_png(crop))
    return len(crops) / (time.perf_counter() - start)


def ours_render(count: int) -> float:
    fonts = FontSet.load(None, CHARS)
    tasks = balanced_tasks(CHARS, fonts, max(1, count // len(CHARS)))
    neighbours = FontSet.load(None, RenderOptions().neighbours).coverage

    def run(seed: int) -> None:
        for i, task in enumerate(tasks):
            rng = example_rng(seed, i)
            params = draw_render_params(
                rng,
                task["char"],
                task["font"],
                fonts_root=fonts.root,
                neighbours=neighbours[task["font"]],
            )
            render_char(task["char"], params, fonts_root=fonts.root)

    run(1)
    start = time.perf_counter()
    run(0)
    return len(tasks) / (time.perf_counter() - start)


def measure_trdg(exe: Path, count: int, cores: int, work: Path) -> dict[str, float]:
    """trdg's file rates (1 process, all cores) and in-memory rates, wall and CPU."""
    results = {}
    wall, cpu = trdg_rate(exe, count, 1, work)
    results["trdg_crops_per_s_1proc"] = wall
    results["trdg_crops_per_cpu_s_1proc"] = cpu
    results[f"trdg_crops_per_s_{cores}cores"] = trdg_rate(exe, count, cores, work)[0]
    wall, cpu = trdg_in_memory_rates(exe, count)
    results["trdg_in_memory_crops_per_s_1proc"] = wall
    results["trdg_in_memory_crops_per_cpu_s"] = cpu
    return results


def measure_ours(count: int, cores: int, work: Path) -> dict[str, float]:
    """Our rates: files, shards (1 process with CPU time, all cores), in memory, render."""
    shard = count // (2 * cores)  # a few shards per core, as --shards would be set
    # The first pass fills the per-process glyph cache (FreeType draws each glyph once);
    # every later figure is the steady state a longer run reaches after it (the
    # all-core runs fork from this process, so they start warm too).
    results = {
        "synth_shards_crops_per_s_1proc_first_pass": ours_files(count, 1, work, shard, seed=1)[0]
    }
    for name, size in (("files", None), ("shards", shard)):
        wall, cpu = ours_files(count, 1, work, size)
        results[f"synth_{name}_crops_per_s_1proc"] = wall
        results[f"synth_{name}_crops_per_cpu_s_1proc"] = cpu
        results[f"synth_{name}_crops_per_s_{cores}cores"] = ours_files(count, cores, work, size)[0]
    wall, cpu = ours_batch(count)
    results["synth_batch_crops_per_s_1proc"] = wall
    results["synth_batch_crops_per_cpu_s"] = cpu
    results["synth_make_batch_png_crops_per_s_1proc"] = ours_make_batch(count)
    results["synth_render_crops_per_s_1proc"] = ours_render(count)
    results["png_encode_and_write_crops_per_s_1proc"] = file_floor(count, work)
    return results


RATIOS = {  # name: (ours, trdg's)
    "synth_speedup_vs_trdg": ("synth_files_crops_per_s_1proc", "trdg_crops_per_s_1proc"),
    "synth_shards_speedup_vs_trdg": ("synth_shards_crops_per_s_1proc", "trdg_crops_per_s_1proc"),
    "synth_batch_speedup_vs_trdg": ("synth_batch_crops_per_s_1proc", "trdg_crops_per_s_1proc"),
    "synth_batch_speedup_vs_trdg_in_memory": (
        "synth_batch_crops_per_s_1proc",
        "trdg_in_memory_crops_per_s_1proc",
    ),
    # CPU time: on a machine shared with other jobs, the runs (taken minutes apart) lose
    # different shares of the wall clock; what each consumed per crop swings much less
    "synth_batch_cpu_speedup_vs_trdg_in_memory": (
        "synth_batch_crops_per_cpu_s",
        "trdg_in_memory_crops_per_cpu_s",
    ),
    "synth_cpu_speedup_vs_trdg": (
        "synth_files_crops_per_cpu_s_1proc",
        "trdg_crops_per_cpu_s_1proc",
    ),
    "synth_shards_cpu_speedup_vs_trdg": (
        "synth_shards_crops_per_cpu_s_1proc",
        "trdg_crops_per_cpu_s_1proc",
    ),
    "synth_render_speedup_vs_trdg": ("synth_render_crops_per_s_1proc", "trdg_crops_per_s_1proc"),
    "png_encode_and_write_vs_trdg": (
        "png_encode_and_write_crops_per_s_1proc",
        "trdg_crops_per_s_1proc",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a minute")
    parser.add_argument(
        "--work",
        type=Path,
        default=cache_dir() / "bench" / "work",
        help="scratch folder for both tools' files (same disk for both)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        exe = trdg_bin()
        if exe is not None:
            results.update(measure_trdg(exe, 1000 if args.quick else 5000, cores, work))
        results.update(measure_ours(3100 if args.quick else 12400, cores, work))
    if exe is not None:
        for name, (ours, theirs) in RATIOS.items():
            results[name] = results[ours] / results[theirs]
        for kind, name in (("files", "synth"), ("shards", "synth_shards")):
            all_cores = results[f"synth_{kind}_crops_per_s_{cores}cores"]
            results[f"{name}_all_cores_speedup_vs_trdg"] = (
                all_cores / results[f"trdg_crops_per_s_{cores}cores"]
            )
    for name, value in results.items():
        print(f"{name}={value:.1f}")


if __name__ == "__main__":
    main()
