"""`augment list`: every registered transform with its parameters and defaults."""

from __future__ import annotations

import inspect
from enum import Enum
from typing import Annotated

import typer

from augment.core.registry import constructor_parameters, registered


class Kind(str, Enum):
    """What `--kind` accepts (typer shows and checks the choices)."""

    image = "image"
    audio = "audio"


def describe_transforms(kind: str | None = None) -> list[str]:
    """One block per transform: name, kind, first docstring line and the parameters a
    config may give it (the ones `build_pipeline` accepts, with their defaults)."""
    blocks = []
    for name, cls in registered().items():
        if kind and cls.kind not in (kind, "any"):
            continue
        summary = (inspect.getdoc(cls) or "").splitlines()[0:1]
        lines = [f"{name} [{cls.kind}]" + (f": {summary[0]}" if summary else "")]
        accepted = constructor_parameters(cls)
        parameters = inspect.signature(cls.__init__).parameters if accepted else {}
        for pname in accepted:
            param = parameters[pname]
            default = "" if param.default is inspect.Parameter.empty else f" = {param.default!r}"
            lines.append(f"    {pname}{default}")
        blocks.append("\n".join(lines))
    return blocks


def describe_presets(kind: str | None = None) -> list[str]:
    """One line per preset of `--preset`: name, medium, what it is for, and its YAML file
    (a --config to copy when a preset needs changing)."""
    from augment.audio.presets import PRESETS as AUDIO_PRESETS
    from augment.images.presets import PRESETS as IMAGE_PRESETS

    lines = []
    for folder in (IMAGE_PRESETS, AUDIO_PRESETS):
        if kind and folder.kind != kind:
            continue
        for name in folder.names():
            lines.append(f"{name} [{folder.kind} preset]: {folder.summary(name)}")
            lines.append(f"    {folder.path(name)}")
    return lines


def list_command(
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="Only image or audio transforms.")
    ] = None,
) -> None:
    """List every transform usable in a --config pipeline, with its parameters, then the
    presets `augment images|audio --preset NAME` takes.

    Example: augment list --kind image
    """
    chosen = kind.value if kind else None
    print("\n".join(describe_transforms(chosen)))
    print("\nPresets (--preset NAME):\n" + "\n".join(describe_presets(chosen)))
