"""`python -m synth`: the `synth` command, where the environment's scripts folder is not on
PATH (a notebook's kernel, a venv not activated)."""

from synth.cli import app

app(prog_name="synth")
