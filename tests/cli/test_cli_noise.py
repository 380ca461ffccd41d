"""`augment noise make`: renders the library's scene to a file, refuses wrong options."""

import numpy as np
import soundfile as sf
from typer.testing import CliRunner

from augment.audio.scenes import render
from augment.cli.noise import app

runner = CliRunner()


def test_make_car_writes_the_library_scene(tmp_path):
    out = tmp_path / "car_100.flac"
    result = runner.invoke(app, ["car", "--speed", "100", "--seconds", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    x, rate = sf.read(out, dtype="float32")
    assert rate == 16000 and x.size == 3 * rate
    expected = render("car", 3, 0, speed_kmh=100).astype(np.float32)
    assert np.max(np.abs(x - expected)) < 1e-4  # 16-bit quantisation only


def test_option_of_another_scene_and_bad_values_fail_in_one_line(tmp_path):
    out = tmp_path / "x.flac"
    result = runner.invoke(app, ["car", "--talkers", "3", "-o", str(out)])
    assert result.exit_code != 0 and "--talkers applies to crowd" in result.output
    result = runner.invoke(app, ["car", "--speed", "400", "-o", str(out)])
    assert result.exit_code != 0 and "speed" in result.output
    assert not out.exists() and not list(tmp_path.iterdir())


def test_unknown_vocal_effort_fails_in_one_line_before_any_talker(tmp_path):
    out = tmp_path / "crowd.flac"
    result = runner.invoke(app, ["crowd", "--effort", "whisper", "-o", str(out)])
    assert result.exit_code != 0 and "whisper" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not out.exists()
