"""`augment errors` on 10,000 predictions joined with a 100,000-row manifest (target: < 10 s).

The manifest is made from a real `synth ocr` run (62 classes x 20 crops, every render and
augmentation param of the default photo preset, about 1.3 KB a row), its rows repeated
with new index and file names up to 100,000 rows; 10,000 of them, drawn with a fixed seed,
get a prediction that is wrong on most noise backgrounds and a few case swaps. The whole
report is timed (read, join, slices, pictures, sample sheet, focus.yaml), best of 3, each
in a fresh report folder. Images are not written for the 100,000 rows, so the sample sheet
shows grey cells: opening 100 small PNGs is not what this measures.

    python benchmarks/errors_report.py [--quick]

Ends with name=value lines: errors_report_seconds and its ratio to the 10 s target.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from augment.analysis.report import ReportOptions, build_report

TARGET_SECONDS = 10.0


def make_manifest(folder: Path, rows: int) -> list[dict]:
    """A `synth ocr` manifest repeated to `rows` rows with fresh indices and file names."""
    seed_run = folder / "seed_run"
    synth = Path(sys.executable).with_name("synth")
    subprocess.run(
        [str(synth), "ocr", "-o", str(seed_run), "--per-class", "20", "--seed", "0"],
        check=True, capture_output=True,
    )  # fmt: skip
    base = [json.loads(line) for line in (seed_run / "manifest.jsonl").open()]
    data = folder / "data"
    data.mkdir()
    made = []
    with (data / "manifest.jsonl").open("w") as handle:
        for index in range(rows):
            row = dict(base[index % len(base)])
            row["index"] = index
            row["file"] = f"{row['file'].split('/')[0]}/{index:07d}.png"
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")
            made.append(row)
    return made


def write_predictions(path: Path, rows: list[dict], count: int) -> None:
    rng = np.random.default_rng(0)
    with path.open("w") as handle:
        handle.write("file_name,label,prediction,score\n")
        for k in sorted(rng.choice(len(rows), size=count, replace=False).tolist()):
            row = rows[k]
            label, prediction = row["label"], row["label"]
            if row["params"]["render"]["background"]["kind"] == "noise" and rng.random() < 0.5:
                prediction = "0" if label != "0" else "O"
            elif label.isalpha() and rng.random() < 0.1:
                prediction = label.swapcase()
            handle.write(f"{row['file']},{label},{prediction},{rng.random():.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one timing instead of best of 3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = make_manifest(folder, 100_000)
        write_predictions(folder / "predictions.csv", rows, 10_000)
        size_mb = (folder / "data" / "manifest.jsonl").stat().st_size / 1e6
        times = []
        for attempt in range(1 if args.quick else 3):
            start = time.perf_counter()
            result = build_report(
                folder / "predictions.csv", folder / "data", folder / f"report{attempt}",
                ReportOptions(),
            )  # fmt: skip
            times.append(time.perf_counter() - start)
    best = min(times)
    print(f"manifest: 100000 rows, {size_mb:.0f} MB; predictions: 10000, {result.errors} errors")
    print(f"top slice: {result.slices[0].attribute} = {result.slices[0].value}")
    print(f"errors_report_seconds={best:.2f}")
    print(f"errors_report_fraction_of_target={best / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
