"""`python -m augment`: the `augment` command, where the environment's scripts folder is not
on PATH (a notebook's kernel, a venv not activated)."""

from augment.cli.main import app

app(prog_name="augment")
