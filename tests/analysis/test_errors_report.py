"""`augment errors` on a hand-made dataset and predictions whose numbers are known."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import typer
import yaml
from PIL import Image
from typer.testing import CliRunner

from augment.analysis.confusion import class_accuracy, confusion_pairs
from augment.analysis.flatten import flatten
from augment.analysis.focus import focus_tasks
from augment.analysis.focus_file import read_focus
from augment.analysis.join import join_predictions
from augment.analysis.predictions import read_predictions
from augment.analysis.slices import attribute_slices
from augment.cli.errors import errors_command
from augment.core.errors import InputError
from augment.dataset.hf_metadata import metadata_bytes
from augment.dataset.manifest import dumps_row

# 20 examples: even rows 'o', odd rows '0'; rows 0-7 on a noise background, font A for
# rows 0-9; angle = row number. Errors: rows 0, 2, 4 (o->0), rows 1, 3, 5 (0->O) and row
# 10 (o->O, case only): 7 errors, overall rate 0.35.
WRONG = {0: "0", 2: "0", 4: "0", 1: "O", 3: "O", 5: "O", 10: "O"}


def _label(i: int) -> str:
    return "o" if i % 2 == 0 else "0"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(errors_command)
    return app


def run(*args: str) -> object:
    return CliRunner().invoke(_app(), [str(a) for a in args])


def make_dataset(root: Path, table: str = "manifest") -> Path:
    data = root / "data"
    data.mkdir()
    rows = []
    for i in range(20):
        name = f"{'o' if i % 2 == 0 else '0'}/{i:07d}.png"
        (data / name).parent.mkdir(exist_ok=True)
        Image.fromarray(np.full((8, 8), i * 10, np.uint8)).save(data / name)
        params = {
            "steps": [{"Rotate": {"angle": float(i)}}, {"Noise": {"seed": 1000 + i}}],
            "background": {"kind": "noise" if i < 8 else "plain"},
        }
        rows.append({"index": i, "file": name, "label": _label(i), "source": "synth",
                     "seed": 0, "params": params, "font": "A" if i < 10 else "B"})  # fmt: skip
    if table == "manifest":  # as the writer writes it: the join reads the file name first
        lines = [dumps_row(r) for r in rows]
        (data / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    else:  # Hugging Face metadata: file_name, label and flat columns only
        flat = [{"file_name": r["file"], "label": r["label"], "font": r["font"]} for r in rows]
        if table == "parquet":  # as `datasets` and our own writer keep it: label a ClassLabel
            (data / "metadata.parquet").write_bytes(metadata_bytes(flat))
        else:
            lines = [json.dumps(row) for row in flat]
            (data / "metadata.jsonl").write_text("\n".join(lines) + "\n")
    return data


def write_predictions(path: Path, with_label: bool = True) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "label", "prediction"] if with_label else
                        ["file_name", "prediction"])  # fmt: skip
        for i in range(20):
            name = f"{'o' if i % 2 == 0 else '0'}/{i:07d}.png"
            prediction = WRONG.get(i, _label(i))
            writer.writerow([name, _label(i), prediction] if with_label else [name, prediction])
    return path


def test_flatten_names_nested_params_with_dots() -> None:
    row = {"params": {"steps": [{"Rotate": {"angle": 3.5}}], "empty": []}, "font": "x"}
    assert flatten(row) == {
        "params.steps.0.Rotate.angle": 3.5,
        "params.empty": "(empty)",
        "font": "x",
    }


def test_class_accuracy_confusions_and_slices_have_the_known_numbers(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    joined = join_predictions(read_predictions(write_predictions(tmp_path / "p.csv")), data)
    rows = joined.rows
    accuracy = {c.label: (c.count, c.errors, c.case_only_errors) for c in class_accuracy(rows)}
    assert accuracy == {"0": (10, 3, 0), "o": (10, 4, 1)}
    pairs = [(p.label, p.prediction, p.count, p.case_only) for p in confusion_pairs(rows)]
    assert pairs == [("0", "O", 3, False), ("o", "0", 3, False), ("o", "O", 1, True)]
    slices = attribute_slices(rows, bins=5, min_count=2)
    top = slices[0]
    assert (top.attribute, top.value, top.count, top.errors) == (
        "params.background.kind", "noise", 8, 6,
    )  # fmt: skip
    assert top.excess == pytest.approx(6 - 0.35 * 8)
    angle = next(s for s in slices if s.attribute == "params.steps.0.Rotate.angle")
    assert (angle.value, angle.count, angle.errors) == ("[0, 3.8)", 4, 4)
    assert angle.excess == pytest.approx(4 - 0.35 * 4)
    font = next(s for s in slices if s.attribute == "font" and s.value == "A")
    assert (font.count, font.errors) == (10, 6)
    assert not any(s.attribute.endswith(".seed") for s in slices)
    assert [s.excess for s in slices] == sorted((s.excess for s in slices), reverse=True)


def test_cli_writes_the_report_and_focus_yaml(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = write_predictions(tmp_path / "p.csv")
    result = run(predictions, "--data", data, "-o", tmp_path / "r", "--min-count", "2")
    assert result.exit_code == 0, result.output
    assert "20 predictions" in result.output and "7 errors" in result.output
    report = tmp_path / "r"
    focus = yaml.safe_load((report / "focus.yaml").read_text())
    assert focus["overall"] == {
        "predictions": 20, "errors": 7, "error_rate": 0.35, "case_only_errors": 1,
    }  # fmt: skip
    assert [c["label"] for c in focus["classes"]] == ["o"]  # only 'o' has excess errors
    assert [(c["label"], c["prediction"]) for c in focus["confusions"]] == [("0", "O"), ("o", "0")]
    assert [c["weight"] for c in focus["confusions"]] == [0.5, 0.5]
    assert [(c["label"], c["prediction"]) for c in focus["case_confusions"]] == [("o", "O")]
    assert focus["slices"][0]["attribute"] == "params.background.kind"
    assert sum(s["weight"] for s in focus["slices"]) == pytest.approx(1, abs=1e-5)
    with Image.open(report / "confusion.png") as matrix:
        assert matrix.width > 50
    assert any(p.name.startswith("attribute_1_") for p in report.iterdir())
    tag_rows = list(csv.DictReader((report / "errors_to_tag.csv").open()))
    assert len(tag_rows) == 7 and all(r["tags"] == "" for r in tag_rows)
    assert (report / "errors_sample.png").is_file()


def test_same_command_same_bytes_and_sample_size(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = write_predictions(tmp_path / "p.csv")
    digests = []
    for name in ("r1", "r2"):
        assert (
            run(predictions, "--data", data, "-o", tmp_path / name, "--sample", "3").exit_code == 0
        )
        digests.append({p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())})
    assert digests[0] == digests[1]
    assert digests[0]["errors_to_tag.csv"].count(b"\n") == 4  # header and 3 sampled errors
    run(predictions, "--data", data, "-o", tmp_path / "r3", "--sample", "3", "--seed", "1")
    assert (tmp_path / "r3" / "errors_to_tag.csv").read_bytes() != digests[0]["errors_to_tag.csv"]


def test_filled_tags_are_counted_on_rerun(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = write_predictions(tmp_path / "p.csv")
    report = tmp_path / "r"
    assert run(predictions, "--data", data, "-o", report).exit_code == 0
    tagged = report / "errors_to_tag.csv"
    rows = list(csv.DictReader(tagged.open()))
    for k, row in enumerate(rows):
        row["tags"] = "blurred, dark" if k < 4 else "dark"
    with tagged.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    filled = tagged.read_bytes()
    assert run(predictions, "--data", data, "-o", report, "--tags", tagged).exit_code == 0
    focus = yaml.safe_load((report / "focus.yaml").read_text())
    assert focus["tags"] == [
        {"tag": "dark", "count": 7, "share": 1.0},
        {"tag": "blurred", "count": 4, "share": round(4 / 7, 6)},
    ]
    assert tagged.read_bytes() == filled  # the hand-filled file survives the rerun
    assert "| blurred | 4 |" in (report / "summary.md").read_text()


@pytest.mark.parametrize(("table", "found"), [("metadata", "metadata.jsonl"),
                                              ("parquet", "metadata.parquet")])  # fmt: skip
def test_hf_metadata_gives_labels_and_columns(tmp_path: Path, table: str, found: str) -> None:
    data = make_dataset(tmp_path, table=table)
    predictions = write_predictions(tmp_path / "p.csv", with_label=False)
    joined = join_predictions(read_predictions(predictions), data)
    assert joined.table.name == found
    assert sum(r.wrong for r in joined.rows) == 7
    slices = attribute_slices(joined.rows, min_count=2)
    assert next((s.attribute, s.value, s.errors) for s in slices) == ("font", "A", 6)


def test_labels_csv_and_jsonl_predictions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "labels.csv").write_text("file_name,label\nimages/1.png,a\nimages/2.png,b\n")
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(
        '{"file_name": "images/1.png", "prediction": "a", "score": 0.9}\n'
        '{"file_name": "./images/2.png", "prediction": "a", "score": 0.4}\n'
        '{"file_name": "images/3.png", "prediction": "a"}\n'
    )
    joined = join_predictions(read_predictions(predictions), data)
    assert [(r.label, r.prediction, r.score) for r in joined.rows] == [
        ("a", "a", 0.9), ("b", "a", 0.4),
    ]  # fmt: skip
    assert joined.unmatched == ["images/3.png"]


def test_a_predictions_csv_the_csv_module_refuses_is_one_error_naming_the_line(
    tmp_path: Path,
) -> None:
    predictions = tmp_path / "p.csv"
    predictions.write_text(f"file_name,prediction,note\na.png,a,{'x' * 200_000}\n")
    with pytest.raises(InputError, match=r"p\.csv: line 2: cannot read as CSV \(field larger"):
        read_predictions(predictions)


def test_audio_errors_get_an_html_page_with_players(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "metadata.jsonl").write_text(
        "\n".join(json.dumps({"file_name": f"{k}.wav", "label": str(k % 2)}) for k in range(6))
    )
    for k in range(6):
        (data / f"{k}.wav").write_bytes(b"RIFF")  # the page copies clips, it does not decode
    predictions = tmp_path / "p.csv"
    predictions.write_text("file_name,prediction\n" + "".join(f"{k}.wav,1\n" for k in range(6)))
    assert run(predictions, "--data", data, "-o", tmp_path / "r").exit_code == 0
    page = (tmp_path / "r" / "errors.html").read_text()
    assert page.count("<audio controls") == 3
    assert len(list((tmp_path / "r" / "error_audio").iterdir())) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file_name,label\na.png,a\n", "row 1: missing prediction"),
        ("file_name,label,prediction,score\no/0000000.png,o,o,high\n", "is not a number"),
        ("file_name,label,prediction\nnope.png,a,a\n", "none of the 1 predicted files"),
    ],
)
def test_bad_predictions_stop_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    data = make_dataset(tmp_path)
    predictions = tmp_path / "p.csv"
    predictions.write_text(text)
    result = run(predictions, "--data", data, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert message in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_refuses_to_replace_the_dataset_or_another_folder(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = write_predictions(tmp_path / "p.csv")
    assert run(predictions, "--data", data, "-o", data).exit_code == 1
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    result = run(predictions, "--data", data, "-o", other)
    assert result.exit_code == 1 and "not an error report" in result.output
    assert (other / "keep.txt").read_text() == "mine"
    assert (data / "manifest.jsonl").is_file()


def test_shard_members_join_by_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        {"index": k, "file": "shards/000000.tar", "key": f"{k:07d}", "label": "a", "seed": 0,
         "params": {"angle": k}}
        for k in range(3)
    ]  # fmt: skip
    (data / "manifest.jsonl").write_text("".join(dumps_row(r) + "\n" for r in rows))
    predictions = tmp_path / "p.csv"
    predictions.write_text("file_name,prediction\n0000001,b\nshards/000000.tar/0000002,a\n")
    joined = join_predictions(read_predictions(predictions), data)
    assert [(r.label, r.prediction, r.attributes) for r in joined.rows] == [
        ("a", "b", {"params.angle": 1}), ("a", "a", {"params.angle": 2}),
    ]  # fmt: skip


def test_focus_yaml_drives_the_allocation(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = write_predictions(tmp_path / "p.csv")
    assert run(predictions, "--data", data, "-o", tmp_path / "r", "--min-count", "2").exit_code == 0
    focus = read_focus(tmp_path / "r" / "focus.yaml")
    tasks = [{"label": label, "font": font} for label in ("o", "0") for font in ("A", "B")]
    out = focus_tasks(tasks, 100, focus)
    reasons = Counter(t["focus_reason"] for t in out)
    assert len(out) == 100 and reasons["floor"] == 25
    assert {"class o", "confusion 0->O", "confusion o->0", "slice font=A"} <= set(reasons)
    assert {t["font"] for t in out if t["focus_reason"] == "slice font=A"} == {"A"}


def test_read_focus_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "focus.yaml"
    path.write_text("classes: [1, 2]\n")
    with pytest.raises(InputError, match="not a focus file"):
        read_focus(path)
    path.write_text("version: 1\nclasses: [{label: a}]\n")
    with pytest.raises(InputError, match="classes: expected a list of items with a weight"):
        read_focus(path)


def test_no_errors_gives_an_empty_focus(tmp_path: Path) -> None:
    data = make_dataset(tmp_path)
    predictions = tmp_path / "p.csv"
    names = [f"{_label(i)}/{i:07d}.png" for i in range(20)]
    predictions.write_text("file_name,prediction\n" + "".join(f"{n},{n[0]}\n" for n in names))
    assert run(predictions, "--data", data, "-o", tmp_path / "r").exit_code == 0
    focus = yaml.safe_load((tmp_path / "r" / "focus.yaml").read_text())
    assert focus["overall"]["errors"] == 0
    assert focus["classes"] == focus["confusions"] == focus["slices"] == []
    assert not list((tmp_path / "r").glob("attribute_*.png"))
