"""Run an `augment` or `synth` command line in this process, failing on a non-zero exit."""

from __future__ import annotations

from typer.testing import CliRunner

from augment.cli.main import app as augment_app
from synth.cli import app as synth_app

APPS = {"augment": augment_app, "synth": synth_app}


def invoke_cli(argv: list[str]) -> None:
    result = CliRunner().invoke(APPS[argv[0]], argv[1:])
    if result.exit_code != 0:
        raise AssertionError(f"{' '.join(argv)} exited {result.exit_code}:\n{result.output}")
