"""Off a terminal, a long run prints a line every few seconds: done/total, rate, time left."""

from __future__ import annotations

import io

from augment.cli.progress_lines import ProgressLines


def test_a_line_every_interval_with_counts_rate_and_time_left():
    now = [100.0]
    out = io.StringIO()
    lines = ProgressLines("synth ocr", 1000, every=5.0, clock=lambda: now[0], stream=out)
    lines.advance(400, made=False)  # found done by a resume: not part of the rate
    now[0] += 2
    lines.advance(100)  # too soon: no line
    assert out.getvalue() == ""
    now[0] += 3
    lines.advance(100)
    assert out.getvalue() == "synth ocr: 600/1000 (60%), 40/s, 0:05 elapsed, 0:10 left\n"


def test_the_command_prints_progress_lines_when_not_on_a_terminal(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import augment.cli.progress_lines as progress_lines
    from synth.cli import app

    monkeypatch.setattr(progress_lines, "EVERY_S", 0.0)  # a line at every advance
    result = CliRunner().invoke(app, ["ocr", "-o", str(tmp_path / "o"), "--charset", "ab",
                                      "--per-class", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "synth ocr: 4/4 (100%)" in result.stderr
