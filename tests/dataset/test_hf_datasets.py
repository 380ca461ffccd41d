"""Hugging Face `datasets` reads our output folders with `label` as a ClassLabel: integer
values, the label names in `features["label"].names`, our other columns kept.

`synth ocr` and `augment images` folders go through the real `imagefolder` loader.
`datasets` 4 and later encode audio only through torchcodec, which is not installable
here, so an `augment audio` folder is checked through the same metadata reading the
folder builder does (`Features.from_arrow_schema` of metadata.parquet) and the real
`parquet` loader on the metadata file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from toys import NoiseImageMaker
from typer.testing import CliRunner

from augment.cli.main import app as augment_app
from augment.dataset.hf_metadata import metadata_bytes, read_metadata
from augment.dataset.writer import Run, write_dataset
from synth.cli import app as synth_app

datasets = pytest.importorskip("datasets")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
runner = CliRunner()


def _manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def _imagefolder(out: Path) -> object:
    return datasets.load_dataset("imagefolder", data_dir=str(out), split="train")


def _check_class_labels(loaded: object, manifest: list[dict]) -> object:
    """ClassLabel names are the sorted labels; each row's integer names its manifest label."""
    feature = loaded.features["label"]
    assert isinstance(feature, datasets.ClassLabel)
    assert feature.names == sorted({row["label"] for row in manifest})
    values = loaded["label"]
    assert all(isinstance(v, int) for v in values)
    assert [feature.int2str(v) for v in values] == [row["label"] for row in manifest]
    return feature


def test_write_dataset_labels_load_as_class_labels(tmp_path: Path) -> None:
    labels = ["a", "A", "7", "a/b"] * 3
    tasks = [{"label": label, "note": f"n{i}"} for i, label in enumerate(labels)]
    write_dataset(tmp_path, tasks, NoiseImageMaker(), run=Run({"name": "hf"}, 0))
    loaded = _imagefolder(tmp_path)
    feature = _check_class_labels(loaded, _manifest(tmp_path))
    assert feature.names == ["7", "A", "a", "a/b"]
    row = loaded[0]
    assert np.asarray(row["image"]).shape == (16, 16)
    assert row["note"] == "n0" and loaded.features["note"] == datasets.Value("string")


def test_synth_ocr_folder_loads_with_class_labels(tmp_path: Path) -> None:
    out = tmp_path / "crops"
    argv = ["ocr", "-o", str(out), "--charset", "0123bB", "--per-class", "2", "--size", "24"]
    result = runner.invoke(synth_app, argv)
    assert result.exit_code == 0, result.output
    loaded = _imagefolder(out)
    manifest = _manifest(out)
    assert _check_class_labels(loaded, manifest).names == ["0", "1", "2", "3", "B", "b"]
    assert loaded.features["bbox"] == datasets.List(datasets.Value("float64"))
    assert [r["bbox"] for r in loaded] == [r["bbox"] for r in manifest]
    assert loaded.features["font"] == datasets.Value("string")
    assert np.asarray(loaded[0]["image"]).shape[:2] == (24, 24)


def test_augment_images_folder_keeps_user_columns(tmp_path: Path) -> None:
    crops = tmp_path / "in"
    for i, label in enumerate(["x", "Y", "x"]):
        (crops / label).mkdir(parents=True, exist_ok=True)
        pixels = np.random.default_rng(i).integers(0, 256, (20, 20), dtype=np.uint8)
        Image.fromarray(pixels).save(crops / label / f"{i}.png")
    table = ["file_name,label,source,score", "x/0.png,x,cam1,0.5", "Y/1.png,Y,cam2,2",
             "x/2.png,x,cam1,"]  # fmt: skip
    (crops / "metadata.csv").write_text("\n".join(table) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(augment_app, ["images", str(crops), "-o", str(out), "-n", "2"])
    assert result.exit_code == 0, result.output
    loaded = _imagefolder(out)
    assert _check_class_labels(loaded, _manifest(out)).names == ["Y", "x"]
    assert loaded["source"] == ["cam1", "cam1", "cam2", "cam2", "cam1", "cam1"]
    assert loaded["source_file"] == ["x/0.png"] * 2 + ["Y/1.png"] * 2 + ["x/2.png"] * 2
    assert loaded["width"] == [20] * 6 and loaded.features["width"] == datasets.Value("int64")


def test_augment_audio_metadata_declares_class_labels(tmp_path: Path) -> None:
    speech = tmp_path / "in"
    t = np.arange(16000) / 16000
    for i, word in enumerate(["yes", "no", "yes"]):
        (speech / word).mkdir(parents=True, exist_ok=True)
        wave = 0.3 * np.sin(2 * np.pi * (150 + 60 * i) * t) * (0.6 + 0.4 * np.sin(8 * t))
        sf.write(speech / word / f"{i}.wav", wave.astype(np.float32), 16000)
    out = tmp_path / "out"
    argv = ["audio", str(speech), "-o", str(out), "--noise", "car", "--snr", "5:15"]
    result = runner.invoke(augment_app, argv)
    assert result.exit_code == 0, result.output
    manifest = _manifest(out)
    schema = pq.read_schema(out / "metadata.parquet")
    features = datasets.Features.from_arrow_schema(schema)  # what audiofolder does with it
    assert features["label"] == datasets.ClassLabel(names=["no", "yes"])
    loaded = datasets.load_dataset(
        "parquet", data_files=str(out / "metadata.parquet"), split="train"
    )
    _check_class_labels(loaded, manifest)
    assert loaded["file_name"] == [row["file"] for row in manifest]
    assert loaded["snr_db_achieved"] == [row["snr_db_achieved"] for row in manifest]


def test_metadata_round_trip_with_awkward_columns(tmp_path: Path) -> None:
    """Nested and mixed-type columns are JSON text in the file and values again when read;
    an unlabelled row is a missing ClassLabel."""
    rows = [
        {"file_name": "a/0.png", "label": "a", "noise": {"snr": 3.5}, "mixed": 1, "n": 1},
        {"file_name": "unlabelled/1.png", "label": None, "mixed": "one", "n": 2.5},
        {"file_name": "b/2.png", "label": "b", "noise": None, "mixed": [1, "x"], "n": 3},
    ]
    path = tmp_path / "metadata.parquet"
    path.write_bytes(metadata_bytes(rows))
    assert read_metadata(path) == [row | {"noise": row.get("noise")} for row in rows]
    table = datasets.load_dataset("parquet", data_files=str(path), split="train")
    assert table["label"] == [0, None, 1] and table.features["label"].names == ["a", "b"]
    assert table["mixed"] == ["1", '"one"', '[1,"x"]'] and table["n"] == [1.0, 2.5, 3.0]
    assert metadata_bytes(rows) == metadata_bytes(rows)  # same rows, same bytes


def test_an_imagefolder_with_a_datasets_written_metadata_parquet_is_an_input(tmp_path: Path):
    """A metadata.parquet from elsewhere (types as `datasets` writes them): ClassLabel
    integers read as their names, other columns carried over."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        Image.fromarray(np.full((12, 12), 40 * i, np.uint8)).save(folder / f"{i}.png")
    features = datasets.Features(
        {"file_name": datasets.Value("string"), "label": datasets.ClassLabel(names=["cat", "dog"]),
         "weight": datasets.Value("float64")}
    )  # fmt: skip
    rows = {"file_name": ["0.png", "1.png", "2.png"], "label": [1, 0, 1], "weight": [1, 2, 3]}
    pq.write_table(
        pa.Table.from_pydict(rows, schema=features.arrow_schema), folder / "metadata.parquet"
    )
    out = tmp_path / "out"
    result = runner.invoke(augment_app, ["images", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    manifest = _manifest(out)
    assert [r["label"] for r in manifest] == ["dog", "cat", "dog"]
    assert [r["weight"] for r in manifest] == [1.0, 2.0, 3.0]
    assert [r["source_file"] for r in manifest] == ["0.png", "1.png", "2.png"]
