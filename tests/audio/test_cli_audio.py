import csv
import json
from collections import Counter

import numpy as np
import pytest
import soundfile as sf
import typer
from typer.testing import CliRunner

from augment.cli.audio import audio_command
from augment.dataset.hf_metadata import read_metadata

RATE = 16000


@pytest.fixture
def cli():
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("audio")(audio_command)
    app.command("other")(lambda: None)  # two commands, so `audio` is a sub-command
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["audio", *map(str, args)])


@pytest.fixture
def audiofolder(tmp_path, make_speech):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = []
    for i in range(3):
        sf.write(folder / f"u{i}.wav", make_speech(1.5, seed=i), RATE)
        rows.append({"file_name": f"u{i}.wav", "transcription": f"words {i}", "speaker": f"s{i}"})
    with open(folder / "metadata.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file_name", "transcription", "speaker"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture
def uneven_classes(tmp_path, make_speech):
    """Class folders of speech: three clips of 'yes', one of 'no'."""
    folder = tmp_path / "classes"
    for label, count in (("yes", 3), ("no", 1)):
        (folder / label).mkdir(parents=True)
        for i in range(count):
            sf.write(folder / label / f"{i}.wav", make_speech(0.5, seed=10 * i + count), RATE)
    return folder


def rows(out):
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_labels_and_noise_facts_reach_the_manifest(cli, audiofolder, tmp_path):
    out = tmp_path / "out"
    result = cli(audiofolder, "-o", out, "--noise", "crowd,car", "--snr", "0:20", "-n", "2")
    assert result.exit_code == 0, result.output
    manifest = rows(out)
    assert len(manifest) == 6
    for row in manifest:
        i = int(row["source_file"][-5])
        assert row["transcription"] == f"words {i}" and row["speaker"] == f"s{i}"
        assert row["noise_source"] in ("crowd", "car") and row["noise_file"].endswith(".flac")
        assert 0 <= row["snr_db_asked"] <= 20
        assert abs(row["snr_db_achieved"] - row["snr_db_asked"]) < 0.1
        assert row["noise_offset_s"] >= 0
        data, rate = sf.read(out / row["file"])
        assert rate == RATE and data.size == int(1.5 * RATE)
    metadata = read_metadata(out / "metadata.parquet")
    assert {m["transcription"] for m in metadata} == {"words 0", "words 1", "words 2"}


def test_same_seed_same_bytes_for_any_worker_count(cli, audiofolder, tmp_path):
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        args = ["-o", out, "--noise", "street", "--phone", "-n", "12", "--workers", workers]
        assert cli(audiofolder, *args).exit_code == 0
        outs.append(out)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*.flac"))
    assert len(files) == 36
    for rel in files:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes()


def test_bad_inputs_are_reported_and_the_run_goes_on(cli, tmp_path, make_speech):
    folder = tmp_path / "txt"
    folder.mkdir()
    sf.write(folder / "good.flac", make_speech(1.0), RATE)
    (folder / "good.txt").write_text("a good clip\n")
    sf.write(folder / "silent.wav", np.zeros(RATE, np.float32), RATE)
    sf.write(folder / "empty.wav", np.zeros(0, np.float32), RATE)
    (folder / "corrupt.ogg").write_bytes(b"OggS not really")
    out = tmp_path / "out"
    result = cli(folder, "-o", out, "--noise", "cafe", "--format", "ogg")
    assert result.exit_code == 0, result.output
    manifest = rows(out)
    assert len(manifest) == 1 and manifest[0]["transcription"] == "a good clip"
    assert manifest[0]["file"].endswith(".ogg")
    errors = (out / "errors.jsonl").read_text()
    for name, why in (("silent.wav", "silent"), ("empty.wav", "empty"), ("corrupt.ogg", "decode")):
        line = next(x for x in errors.splitlines() if name in x)
        assert why in line


def test_preview_and_config(cli, audiofolder, tmp_path):
    config = tmp_path / "p.yaml"
    config.write_text("- Reverb: {rt60_s: [0.3, 0.6]}\n- Gain: {gain_db: -3}\n")
    out = tmp_path / "out"
    result = cli(audiofolder, "-o", out, "--config", config, "-n", "2", "--preview", "2")
    assert result.exit_code == 0, result.output
    assert (out / "preview.png").stat().st_size > 1000
    assert "Reverb" in json.dumps(rows(out)[0]["params"])


def test_usage_errors_are_one_line(cli, audiofolder, tmp_path):
    result = cli(audiofolder, "-o", tmp_path / "o")
    assert result.exit_code == 1 and "nothing to do" in result.output
    result = cli(audiofolder, "-o", tmp_path / "o", "--noise", "jungle")
    assert result.exit_code == 1 and "jungle" in result.output
    result = cli(tmp_path / "missing", "-o", tmp_path / "o", "--noise", "car")
    assert result.exit_code == 1 and "no such folder" in result.output


def test_balance_adds_noisy_copies_to_the_small_class(cli, tmp_path, uneven_classes):
    folder = uneven_classes
    out = tmp_path / "out"
    result = cli(folder, "-o", out, "--noise", "crowd", "--balance", "--format", "wav")
    assert result.exit_code == 0, result.output
    made = rows(out)
    assert sorted(Counter(r["label"] for r in made).items()) == [("no", 3), ("yes", 3)]
    extra = [r for r in made if r["focus_reason"] == "balance no"]
    assert len(extra) == 2 and (out / "class_histogram.png").exists()
    source, _ = sf.read(folder / "no" / "0.wav")
    for row in extra:  # each an augmented copy with its own noise draw, not the input again
        assert row["params"]
        audio, _ = sf.read(out / row["file"])
        assert np.max(np.abs(audio - source)) > 1e-3
    assert extra[0]["params"] != extra[1]["params"]


def test_preset_and_phone_probability(tmp_path, cli, audiofolder):
    from augment.cli.audio import build_audio_pipeline

    preset = build_audio_pipeline(None, "0:20", 0.0, None, None, "robust-speech")
    assert type(preset).__name__ == "Sequence" and len(preset.transforms) >= 3
    maybe_phone = build_audio_pipeline(None, "0:20", 0.4, None, None, None)
    assert type(maybe_phone).__name__ == "Maybe" and maybe_phone.p == 0.4
    assert type(build_audio_pipeline(None, "0:20", 1.0, None, None, None)).__name__ == "BadPhone"
    result = cli(audiofolder, "-o", tmp_path / "o", "--preset", "robust-speech", "--noise", "car")
    assert result.exit_code == 1 and "replaces --noise/--phone" in result.output
    result = cli(audiofolder, "-o", tmp_path / "o", "--preset", "nope")
    assert result.exit_code == 1 and "unknown preset 'nope'" in result.output
    result = cli(audiofolder, "-o", tmp_path / "p", "--preset", "robust-speech", "-n", "2")
    assert result.exit_code == 0, result.output


def test_focus_aims_the_noisy_copies_at_a_class_and_is_deterministic(cli, tmp_path, uneven_classes):
    folder = uneven_classes
    focus = tmp_path / "focus.yaml"
    focus.write_text("version: 1\nclasses: [{label: 'no', weight: 1.0}]\n")
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        args = (folder, "-o", out, "--noise", "crowd", "-n", "2", "--format", "wav")
        result = cli(*args, "--focus", focus, "--focus-floor", "0.5")
        assert result.exit_code == 0, result.output
    made = rows(outs[0])
    assert len(made) == 8  # 4 inputs x 2 copies, the budget of a run without --focus
    assert Counter(r["focus_reason"] for r in made) == {"floor": 4, "class no": 4}
    assert Counter(r["label"] for r in made)["no"] == 4 + sum(
        r["label"] == "no" for r in made if r["focus_reason"] == "floor"
    )
    assert all(abs(r["snr_db_achieved"] - r["snr_db_asked"]) < 0.1 for r in made)
    files = [{p.relative_to(o): p.read_bytes() for p in o.rglob("*") if p.is_file()} for o in outs]
    assert files[0] == files[1] and len(files[0]) > 8
