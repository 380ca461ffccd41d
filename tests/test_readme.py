"""Every code block of README.md runs as written, each in a fresh folder, at small size.

The README is what a new user copies first, so a block that fails there fails them. The
rule, which every README section follows (CONTRIBUTING.md says so too):

- What runs: fenced blocks tagged `sh`, `bash` or `console` run as one bash script each
  (`set -euo pipefail`, the venv's `bin` first on PATH, so `augment`, `synth` and `python`
  are the installed ones); in a `console` block only the `$ ` lines are commands. Blocks
  tagged `python` run with the venv's python. Other blocks (yaml, text, untagged) are not
  run, except a yaml block whose first line is a comment naming a file (`# pipeline.yaml:
  ...`): that block is that file, written into every block's folder, so commands can use
  it as the README shows.
- Where: a fresh temporary folder that looks like the root of a clone: the repository's
  top-level entries (examples/, fonts/, noise_samples/, scripts/, ...) are symlinked into
  it. A block makes its own inputs (e.g. `synth ocr -o crops/ ...` before `augment images
  crops/ ...`) and writes each command's output into its own folder.
- Sizes: one fixed rewrite, `SMALL` below. The number after each option in SMALL is
  lowered to at most the value given (`--per-class 1000` runs as `--per-class 3`); nothing
  else in a command changes. Python blocks are not rewritten: keep them small.
- Exceptions: a command whose comment says `needs: WHAT` (`# needs: network`, `# needs:
  ../shared/data`, `# needs: a browser`) is not run here, and neither is a whole block
  whose first line is such a comment. Each one is reported as a skipped test naming WHAT
  and the command (pytest -ra lists them), never dropped silently.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
RUN_LANGS = {"sh", "bash", "shell", "console", "python", "py"}
# blocks that are shown, not run; any other tag fails the test, so a typo cannot hide a block
SHOWN_LANGS = {"", "text", "yaml", "yml", "json", "jsonl", "csv", "toml", "html", "diff"}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
NEEDS = re.compile(r"#.*?\bneeds:\s*(.+?)\s*$")
FILE_COMMENT = re.compile(r"^#\s*([\w.-]+\.ya?ml)\b")
# option -> the largest value it runs with here
SMALL = {
    "-n": 2,
    "--per-class": 3,
    "--target-count": 4,
    "--epochs": 1,
    "--limit": 20,
    "--sample": 10,
    "--steps": 4,
    "--make": 40,
}
NOT_LINKED = {".git", ".venv", "demo_out", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
BLOCK_TIMEOUT_S = 240
SIZE_OPTION = re.compile(
    r"(?<!\S)(" + "|".join(re.escape(o) for o in SMALL) + r")(\s+|=)(\d+)(?![\w.])"
)


@dataclass
class Block:
    """One fenced block: its language, the README line it starts on and its lines."""

    lang: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"README.md:{self.line}:{self.lang}"


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block of a markdown text, in order: ``` or ~~~ fences, also indented
    ones (inside a list item), whose indentation is taken off the block's lines."""
    blocks: list[Block] = []
    current: Block | None = None
    fence, indent = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        opening = FENCE.match(line)
        if current is None and opening:
            fence, indent = opening.group(2), len(opening.group(1))
            current = Block(opening.group(3).strip().lower(), number)
        elif (
            current is not None
            and line.strip().startswith(fence)
            and not line.strip().strip(fence[0])
        ):
            blocks.append(current)
            current = None
        elif current is not None:
            current.lines.append(line[indent:] if not line[:indent].strip() else line)
    return blocks


def commands(block: Block) -> list[str]:
    """The block's commands, one per logical line (backslash continuations joined)."""
    lines = block.lines
    if block.lang == "console":
        lines = _console_commands(lines)
    joined: list[str] = []
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    return [line for line in joined if line.strip() and not line.lstrip().startswith("#")]


def _console_commands(lines: list[str]) -> list[str]:
    """The `$ ` lines of a console block and their continuations; output lines dropped."""
    kept: list[str] = []
    continuing = False
    for line in lines:
        if line.startswith("$ ") or continuing:
            kept.append(line[2:] if line.startswith("$ ") else line)
            continuing = line.rstrip().endswith("\\")
    return kept


def needs(line: str) -> str | None:
    """What a command or block needs that is not here (its `needs:` comment), if anything."""
    match = NEEDS.search(line)
    return match.group(1) if match else None


def block_needs(block: Block) -> str | None:
    first = next((line for line in block.lines if line.strip()), "")
    return needs(first) if first.lstrip().startswith("#") else None


def small(command: str) -> str:
    """The command with each SMALL option's number lowered to its limit (text otherwise
    untouched, so quotes, pipes and globs stay as written)."""

    def lower(match: re.Match[str]) -> str:
        option, gap, value = match.groups()
        return f"{option}{gap}{min(int(value), SMALL[option])}"

    return SIZE_OPTION.sub(lower, command)


def readme_files(blocks: list[Block]) -> dict[str, str]:
    """The yaml blocks that are files (first line `# NAME.yaml...`), by file name."""
    files = {}
    for block in blocks:
        match = FILE_COMMENT.match(block.lines[0]) if block.lines else None
        if block.lang in {"yaml", "yml"} and match:
            files[match.group(1)] = "\n".join(block.lines) + "\n"
    return files


BLOCKS = fenced_blocks(README.read_text(encoding="utf-8"))
RUNNABLE = [block for block in BLOCKS if block.lang in RUN_LANGS]
FILES = readme_files(BLOCKS)


def skipped_commands() -> list[tuple[str, str]]:
    """(block name, command) of every command marked `needs:` in a block that runs (a
    block marked whole is reported by its own skipped test)."""
    marked = []
    for block in RUNNABLE:
        if block_needs(block) is None and block.lang not in {"python", "py"}:
            marked += [(block.name, c) for c in commands(block) if needs(c) is not None]
    return marked


def clone_view(folder: Path) -> None:
    """`folder` as the root of a clone: the repo's top-level entries linked in, plus the
    README's yaml files."""
    for entry in REPO.iterdir():
        if entry.name not in NOT_LINKED and not entry.name.startswith(".augsynth"):
            (folder / entry.name).symlink_to(entry)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")


def script(block: Block) -> str:
    """The bash script a shell block runs: its commands, small, the `needs:` ones left out."""
    lines = ["set -euo pipefail"]
    for command in commands(block):
        lines.append(": not run here" if needs(command) else small(command))
    return "\n".join(lines) + "\n"


def run_block(block: Block, folder: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env["MPLBACKEND"] = "Agg"
    if block.lang in {"python", "py"}:
        argv = [sys.executable, "-c", "\n".join(block.lines)]
    else:
        argv = ["bash", "-c", script(block)]
    return subprocess.run(
        argv, cwd=folder, env=env, capture_output=True, text=True, timeout=BLOCK_TIMEOUT_S
    )


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda block: block.name)
def test_readme_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    reason = block_needs(block)
    if reason is not None:
        pytest.skip(f"{block.name} needs {reason}")
    shell = block.lang not in {"python", "py"}
    if shell and all(needs(command) for command in commands(block)):
        pytest.skip(f"{block.name}: every command is marked needs: (each reported on its own)")
    clone_view(tmp_path)
    result = run_block(block, tmp_path)
    assert result.returncode == 0, (
        f"{block.name} failed (exit {result.returncode}):\n"
        f"{script(block) if shell else ''}\n"
        f"stdout: {result.stdout[-3000:]}\nstderr: {result.stderr[-3000:]}"
    )


@pytest.mark.parametrize(
    ("name", "command"), skipped_commands(), ids=[name for name, _ in skipped_commands()]
)
def test_readme_command_not_run_here_is_reported(name: str, command: str) -> None:
    """Each `needs:` exception shows in the test report as a skip naming what it needs."""
    pytest.skip(f"{name} not run here, needs {needs(command.splitlines()[0])}: {command}")


def test_every_readme_block_is_run_or_plainly_shown() -> None:
    """A block tagged with a language this test neither runs nor knows as shown-only (a
    typo like ```bsh) would be dropped silently; name it instead."""
    unknown = [b.name for b in BLOCKS if b.lang not in RUN_LANGS | SHOWN_LANGS]
    assert not unknown, f"blocks neither run nor known as shown-only: {unknown}"


def test_readme_has_runnable_blocks_and_the_rule_reads_them() -> None:
    """The extraction itself: shell, python and file blocks are found, and the size rule
    lowers numbers only after the options it names."""
    assert {block.lang for block in RUNNABLE} >= {"sh", "python"}
    assert "pipeline.yaml" in FILES
    assert small("synth ocr -o c/ --per-class 1000 --size 32") == (
        "synth ocr -o c/ --per-class 3 --size 32"
    )
    assert small("augment images a/ -o b/ -n 5 --seed 7 --per-class=9") == (
        "augment images a/ -o b/ -n 2 --seed 7 --per-class=3"
    )
    console = Block("console", 1, ["$ augment list \\", "  --kind image", "Rotate ..."])
    assert [" ".join(c.split()) for c in commands(console)] == ["augment list --kind image"]
    assert needs("synth font-pack -o ~/fp   # optional; needs: network") == "network"
    nested = fenced_blocks("- step:\n\n  ```sh\n  augment list\n  ```\n~~~python\nx = 1\n~~~\n")
    assert [(b.lang, b.lines) for b in nested] == [("sh", ["augment list"]), ("python", ["x = 1"])]
