"""Previews through the commands: headers and captions from the manifest, the HTML page
with its files, and --dry-run (only the preview, a size estimate, no trace for the real
run that follows)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image
from typer.testing import CliRunner

from augment.assets import asset_dir
from augment.cli.main import app as augment_app
from augment.dataset.out_folder import LOCK_NAME
from augment.preview.sheet import GAP, LINE, TITLE_WIDTH
from synth.cli import app as synth_app

runner = CliRunner()
ESTIMATE = re.compile(r"dry run: (\d+) examples, about .*?\((\d+) bytes, estimated")


class Page(HTMLParser):
    """The sources, headers and captions of a preview page."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, list[str]] = {"img": [], "audio": []}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.sources:
            self.sources[tag].append(str(dict(attrs)["src"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(out: Path) -> Page:
    page = Page()
    page.feed((out / "preview.html").read_text(encoding="utf-8"))
    page.close()
    return page


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    root = tmp_path / "letters"
    for label in ("b", "d"):
        for i in range(2):
            image = np.full((32, 32), 230, np.uint8)
            image[6:26, 10 + 4 * i : 16 + 4 * i] = 30
            (root / label).mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(root / label / f"{i}.png")
    return root


@pytest.fixture
def speech(tmp_path: Path) -> Path:
    root = tmp_path / "speech"
    root.mkdir()
    for name in ("clip_00.flac", "clip_01.flac"):
        shutil.copy(asset_dir("examples") / "speech" / name, root)
    return root


def test_the_image_preview_has_headers_and_captions_with_the_drawn_angle(letters, tmp_path):
    out = tmp_path / "out"
    args = ["images", str(letters), "-o", str(out), "--rotate", "10", "-n", "2"]
    result = runner.invoke(augment_app, [*args, "--preview", "1", "--preview-html"])
    assert result.exit_code == 0, result.output
    sheet = np.asarray(Image.open(out / "preview.png").convert("L"))
    header = sheet[GAP : GAP + LINE, TITLE_WIDTH:]
    assert np.count_nonzero(header < 128) > 30  # "original", "copy 1", "copy 2" drawn
    assert np.count_nonzero(sheet[GAP : GAP + LINE, :TITLE_WIDTH] < 128) == 0
    first = _rows(out)[0]
    angle = f"angle {first['params']['steps'][0]['Rotate']['angle']:+.1f}°"
    page = _page(out)
    assert angle in page.text and "copy 2" in page.text
    assert len(page.sources["img"]) == 3 and not page.sources["audio"]
    for source in page.sources["img"]:
        assert Image.open(out / source).size == (32, 32)
    assert (out / page.sources["img"][1]).read_bytes() == (out / first["file"]).read_bytes()


def test_the_audio_page_plays_originals_and_copies(speech, tmp_path):
    out = tmp_path / "out"
    args = ["audio", str(speech), "-o", str(out), "--noise", "car", "--phone", "-n", "2"]
    result = runner.invoke(augment_app, [*args, "--preview", "1", "--preview-html"])
    assert result.exit_code == 0, result.output
    page = _page(out)
    assert len(page.sources["audio"]) == 3 and len(page.sources["img"]) == 3
    for source in page.sources["audio"]:
        data, rate = soundfile.read(out / source)
        assert rate == 16000 and data.size > 16000 and np.abs(data).max() > 0.01
    original, _ = soundfile.read(speech / "clip_00.flac")
    played, _ = soundfile.read(out / page.sources["audio"][0])
    assert np.abs(played - original).max() < 1e-3  # the input, re-encoded as 16-bit WAV
    first = _rows(out)[0]
    assert (out / page.sources["audio"][1]).read_bytes() == (out / first["file"]).read_bytes()
    captions = " ".join(page.text)
    assert f"SNR {first['snr_db_achieved']:.1f}".rstrip("0").rstrip(".") in captions
    assert f"phone {first['params']['steps'][1]['BadPhone']['codec']}" in captions
    for source in page.sources["img"]:  # spectrograms with axes
        assert Image.open(out / source).size == (320, 160)


def _synth(out: Path, *extra: str) -> list[str]:
    return ["ocr", "-o", str(out), "--charset", "ab", "--per-class", "3", *extra]


COMMANDS = {
    "synth": lambda out, _: (synth_app, _synth(out, "--preview", "4")),
    "images": lambda out, inputs: (augment_app, ["images", str(inputs["letters"]), "-o", str(out),
                                                 "--rotate", "8", "-n", "3", "--preview", "2"]),
    "audio": lambda out, inputs: (augment_app, ["audio", str(inputs["speech"]), "-o", str(out),
                                                "--noise", "crowd", "-n", "2", "--preview", "1"]),
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_dry_run_writes_only_the_preview_and_leaves_no_trace(command, letters, speech, tmp_path):
    inputs = {"letters": letters, "speech": speech}
    app, dry_args = COMMANDS[command](tmp_path / "dry", inputs)
    dry = runner.invoke(app, [*dry_args, "--preview-html", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    left = _tree(tmp_path / "dry")
    assert {name.split("/")[0] for name in left} == {"preview.png", "preview.html", "preview"}
    count, estimate = (int(g) for g in ESTIMATE.search(dry.output).groups())
    app, real_args = COMMANDS[command](tmp_path / "dry", inputs)
    after = runner.invoke(app, [*real_args, "--preview-html"])
    assert after.exit_code == 0, after.output
    app, fresh_args = COMMANDS[command](tmp_path / "fresh", inputs)
    assert runner.invoke(app, [*fresh_args, "--preview-html"]).exit_code == 0
    made, fresh = _tree(tmp_path / "dry"), _tree(tmp_path / "fresh")
    assert made == fresh  # the dry run changed nothing the real run writes
    assert count == len(_rows(tmp_path / "fresh"))
    size = sum(len(data) for name, data in fresh.items() if not name.startswith("preview"))
    assert size / 2 <= estimate <= 2 * size, (estimate, size)


def test_a_dry_run_of_shards_estimates_their_size(tmp_path):
    out = tmp_path / "out"
    dry = runner.invoke(synth_app, _synth(out, "--shards", "2", "--dry-run"))
    assert dry.exit_code == 0, dry.output
    _, estimate = (int(g) for g in ESTIMATE.search(dry.output).groups())
    assert runner.invoke(synth_app, _synth(out, "--shards", "2")).exit_code == 0
    size = sum(len(data) for name, data in _tree(out).items() if not name.startswith("preview"))
    assert size / 2 <= estimate <= 2 * size, (estimate, size)


def test_a_dry_run_refuses_a_folder_holding_another_run(tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(synth_app, _synth(out, "--seed", "1")).exit_code == 0
    held = _tree(out)
    dry = runner.invoke(synth_app, _synth(out, "--dry-run"))
    assert dry.exit_code == 1 and "holds a run of a different command" in dry.output
    left = {name: data for name, data in _tree(out).items() if name != LOCK_NAME}
    assert left == held  # no preview written into another run's folder (a refused real
    # run leaves its released lock file too)
