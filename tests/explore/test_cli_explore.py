"""`augment explore` as a command: the address it prints, its one-line errors, the hint
when the web extra is missing, and the --config it starts from."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from augment.cli.explore import INSTALL_HINT, explore_command

START_EXPLORE = "import typer; from augment.cli.explore import explore_command as c; typer.run(c)"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(explore_command)
    return app


def test_prints_a_loopback_address_and_serves_the_given_config(image_dir: Path, tmp_path):
    config = tmp_path / "start.yaml"
    config.write_text("- Rotate: {degrees: 3}\n- Invert\n")
    command = [sys.executable, "-c", START_EXPLORE, str(image_dir), "--port", "0"]
    process = subprocess.Popen(
        [*command, "--config", str(config)], stdout=subprocess.PIPE, text=True
    )
    try:
        address = None
        for line in process.stdout:
            match = re.search(r"open (http://[^/\s]+/)", line)
            if match:
                address = match.group(1)
                break
        assert address is not None and address.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{address}api/session", timeout=10) as response:
            session = json.load(response)
        assert [next(iter(step)) for step in session["pipeline"]] == ["Rotate", "Invert"]
        assert session["pipeline"][0]["Rotate"]["degrees"] == [-3.0, 3.0]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda d, t: [str(t / "missing")], "not a folder"),
        (lambda d, t: [str(t)], "no input files found"),
        (lambda d, t: [str(d), "--config", str(t / "nope.yaml")], "nope.yaml: cannot read"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(image_dir: Path, tmp_path: Path, make_args, message):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(_app(), make_args(image_dir, empty))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_without_the_web_extra_it_says_how_to_get_it(image_dir: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    result = CliRunner().invoke(_app(), [str(image_dir)])
    assert result.exit_code == 1
    assert INSTALL_HINT in result.output and "augsynth[explore]" in INSTALL_HINT


def test_synth_explore_bad_charset_is_one_line(tmp_path: Path):
    from augment.cli.explore import synth_explore_command

    app = typer.Typer()
    app.command()(synth_explore_command)
    result = CliRunner().invoke(app, ["--charset", "@" + str(tmp_path / "none.txt")])
    assert result.exit_code == 1
    assert "none.txt" in result.output and "Traceback" not in result.output
