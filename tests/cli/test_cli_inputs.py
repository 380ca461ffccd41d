"""`augment images|audio` inputs beyond folders: one file, a CSV or TXT list of paths
anywhere on disk, a Hugging Face dataset saved with `save_to_disk`; how the manifest
names each input; and the one-line refusals of a bad list or dataset.

`--hf-dataset NAME` (a Hub dataset) needs the network, which the tests do not have: only
the `save_to_disk` folder is tested here; both go through `hf_inputs.dataset_inputs`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.dataset.hf_metadata import read_metadata

datasets = pytest.importorskip("datasets")
runner = CliRunner()
RATE = 16000


def _rows(out: Path, name: str = "manifest.jsonl") -> list[dict]:
    if name.endswith(".parquet"):
        return read_metadata(out / name)
    return [json.loads(line) for line in (out / name).read_text().splitlines()]


def _image(path: Path, seed: int, channels: int | None = None) -> Path:
    shape = (24, 20) if channels is None else (24, 20, channels)
    pixels = np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)
    return path


def _speech(path: Path, seed: int) -> Path:
    """A second of a gliding tone under a syllable-rate envelope: active, never silent."""
    t = np.arange(RATE) / RATE
    tone = np.sin(2 * np.pi * (180 + 40 * seed) * t + 3 * np.sin(2 * np.pi * 2 * t))
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, (0.3 * tone * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))).astype(np.float32), RATE)
    return path


@pytest.fixture
def class_folders(tmp_path: Path) -> Path:
    """b/0.png, b/1.png, K/0.png (grey and RGB): sorted, the order the reader lists them."""
    root = tmp_path / "folders"
    _image(root / "K" / "0.png", 0, 3)
    _image(root / "b" / "0.png", 1)
    _image(root / "b" / "1.png", 2, 3)
    return root


def _images(args: list[str]) -> object:
    return runner.invoke(app, ["images", *args, "--rotate", "8", "--seed", "4"])


def test_folder_sources_are_named_from_in_and_a_user_source_column_is_kept(tmp_path: Path):
    root = tmp_path / "table"
    for i in range(2):
        _image(root / "imgs" / f"{i}.png", i)
    lines = ["file_name,label,source", "imgs/0.png,a,cam1", "imgs/1.png,b,cam2"]
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = _images([str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("manifest.jsonl", "metadata.parquet"):
        rows = _rows(out, name)
        assert [r["source_file"] for r in rows] == ["imgs/0.png", "imgs/1.png"]
        assert [r["source"] for r in rows] == ["cam1", "cam2"]
        assert all("input_source" not in r for r in rows)


def test_csv_of_paths_anywhere_with_labels_and_columns(tmp_path: Path, class_folders: Path):
    elsewhere = _image(tmp_path / "far" / "away" / "x.png", 7)
    listing = tmp_path / "lists" / "inputs.csv"
    listing.parent.mkdir()
    _image(listing.parent / "near.png", 8)
    listing.write_text(
        f"label,path,camera\nb,../folders/b/0.png,c1\nK,{elsewhere},c2\n,near.png,c3\n"
    )
    out = tmp_path / "out"
    result = _images([str(listing), "-o", str(out), "-n", "2"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["label"] for r in rows] == ["b", "b", "K", "K", None, None]
    assert [r["source_file"] for r in rows[::2]] == [
        "../folders/b/0.png",
        str(elsewhere),
        "near.png",
    ]
    assert [r["camera"] for r in rows[::2]] == ["c1", "c2", "c3"]
    assert [r["file"].split("/")[0] for r in rows[::2]] == ["b", "_k", "unlabelled"]
    assert [(r["width"], r["height"]) for r in rows] == [(20, 24)] * 6


def test_txt_list_and_a_single_file(tmp_path: Path, class_folders: Path):
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"{class_folders / 'b' / '1.png'}\n\n{class_folders / 'K' / '0.png'}\n")
    listed = _images([str(listing), "-o", str(tmp_path / "listed")])
    assert listed.exit_code == 0, listed.output
    rows = _rows(tmp_path / "listed")
    assert [r["source_file"] for r in rows] == [str(class_folders / "b" / "1.png"),
                                               str(class_folders / "K" / "0.png")]  # fmt: skip
    assert {r["label"] for r in rows} == {None}
    one = _images([str(class_folders / "K" / "0.png"), "-o", str(tmp_path / "one"), "-n", "3"])
    assert one.exit_code == 0, one.output
    rows = _rows(tmp_path / "one")
    assert [r["source_file"] for r in rows] == ["0.png"] * 3
    assert [r["file"] for r in rows] == [f"unlabelled/{i:07d}.png" for i in range(3)]


def _saved_images(folder: Path, class_folders: Path, target: Path) -> Path:
    """The class folders as a Hugging Face dataset (ClassLabel labels), in reader order."""
    paths = [class_folders / "K" / "0.png", class_folders / "b" / "0.png",
             class_folders / "b" / "1.png"]  # fmt: skip
    table = datasets.Dataset.from_dict(
        {"image": [str(p) for p in paths], "label": [1, 0, 0], "note": ["x", "y", "z"]}
    )
    features = datasets.Features(
        {"image": datasets.Image(), "label": datasets.ClassLabel(names=["b", "K"]),
         "note": datasets.Value("string")}
    )  # fmt: skip
    table.cast(features).save_to_disk(str(target))
    return target


def test_saved_dataset_gives_the_same_copies_as_its_files(tmp_path: Path, class_folders: Path):
    """Row i of a saved dataset is augmented exactly as file i of the folders (same seed),
    with its ClassLabel as the label's name and its other columns carried over."""
    saved = _saved_images(tmp_path, class_folders, tmp_path / "saved")
    from_files = _images([str(class_folders), "-o", str(tmp_path / "a"), "-n", "2"])
    from_rows = _images([str(saved), "-o", str(tmp_path / "b"), "-n", "2", "--workers", "2"])
    assert from_files.exit_code == 0 and from_rows.exit_code == 0, from_rows.output
    files, rows = _rows(tmp_path / "a"), _rows(tmp_path / "b")
    assert (
        [r["label"] for r in rows] == [r["label"] for r in files] == ["K", "K", "b", "b", "b", "b"]
    )
    assert [r["source_file"] for r in rows[::2]] == ["saved[0]", "saved[1]", "saved[2]"]
    assert [r["note"] for r in rows[::2]] == ["x", "y", "z"]
    for a, b in zip(files, rows, strict=True):
        assert a["file"] == b["file"] and a["params"] == b["params"]
        assert (tmp_path / "a" / a["file"]).read_bytes() == (
            tmp_path / "b" / b["file"]
        ).read_bytes()


def test_saved_audio_dataset_with_transcripts(tmp_path: Path):
    paths = [str(_speech(tmp_path / "wav" / f"u{i}.wav", i)) for i in range(2)]
    table = datasets.Dataset.from_dict(
        {"audio": paths, "label": ["yes", "no"], "transcription": ["say yes", "say no"]}
    )
    table.cast_column("audio", datasets.Audio()).save_to_disk(str(tmp_path / "speech"))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["audio", str(tmp_path / "speech"), "-o", str(out), "--noise", "crowd", "--snr", "10"]
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [r["label"] for r in rows] == ["yes", "no"]
    assert [r["transcription"] for r in rows] == ["say yes", "say no"]
    assert [r["source_file"] for r in rows] == ["speech[0]", "speech[1]"]
    for row in rows:
        assert abs(row["snr_db_achieved"] - 10) < 0.1  # the row's audio really was mixed
        assert sf.info(out / row["file"]).frames == RATE


def _refused(args: list[str], out: Path, *mentions: str) -> None:
    """Exit 1, one `error:` line naming what is wrong, and no OUT at all."""
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert all(m in lines[0] for m in mentions), lines[0]
    assert not out.exists()


def test_a_csv_field_over_the_csv_modules_limit_is_one_line(
    tmp_path: Path, class_folders: Path
) -> None:
    """Python's csv refuses a field over 128 KiB: a metadata table or a list with one is
    refused on one line naming the file and the line, not with a traceback."""
    long = "x" * 200_000
    table = class_folders / "metadata.csv"
    table.write_text(f"file_name,label,note\nb/0.png,b,short\nb/1.png,b,{long}\n")
    mentions = ("line 3", "cannot read as CSV", "field larger than field limit")
    _refused(["images", str(class_folders)], tmp_path / "out", str(table), *mentions)
    listing = tmp_path / "list.csv"
    listing.write_text(f"path,note\n{class_folders / 'b' / '0.png'},{long}\n")
    _refused(["images", str(listing)], tmp_path / "out", str(listing), "line 2", *mentions[1:])


def test_bad_lists_and_datasets_are_refused_before_anything_is_written(
    tmp_path: Path, class_folders: Path
):
    out = tmp_path / "out"
    missing = tmp_path / "missing.csv"
    missing.write_text(f"path,label\n{class_folders / 'b' / '0.png'},b\ngone.png,b\n")
    _refused(["images", str(missing)], out, str(missing), "row 2", "gone.png", "no such file")
    no_path = tmp_path / "no_path.csv"
    no_path.write_text("image,label\nb/0.png,b\n")
    _refused(["images", str(no_path)], out, str(no_path), "path (or file_name) column")
    wrong_kind = tmp_path / "wrong.txt"
    wrong_kind.write_text(f"{missing}\n")
    _refused(["images", str(wrong_kind)], out, str(wrong_kind), "line 1", "is not one of")
    datasets.Dataset.from_dict({"text": ["a"], "label": [0]}).save_to_disk(str(tmp_path / "t"))
    _refused(["images", str(tmp_path / "t")], out, str(tmp_path / "t"), "no image column", "text")
    splits = datasets.DatasetDict(
        {s: datasets.Dataset.from_dict({"text": ["a"]}) for s in ("train", "test")}
    )
    splits.save_to_disk(str(tmp_path / "dd"))
    _refused(["images", str(tmp_path / "dd")], out, "splits train, test", str(tmp_path / "dd"))
    _refused(["images", str(missing), "--hf-dataset", "user/name"], out, "one of them")
    _refused(["images", str(tmp_path / "nowhere.csv")], out, "nowhere.csv: no such file")
