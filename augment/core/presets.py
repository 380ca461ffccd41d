"""Named pipelines: the YAML files of one folder, loaded by name for one medium.

`augment audio --preset` and `augment images --preset` read their folders through this, so
an unknown name fails the same way (listing the known ones) and a preset of the wrong
medium is refused before a run would skip every input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from augment.core.errors import ConfigError
from augment.core.registry import load_pipeline
from augment.core.transform import Transform


@dataclass(frozen=True)
class PresetFolder:
    """The presets of one medium: `directory/<name>.yaml`, steps of `kind` ("image", "audio")."""

    directory: Path
    kind: str

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.yaml"))

    def path(self, name: str) -> Path:
        """The YAML file of a preset; ConfigError listing the presets for an unknown name."""
        path = self.directory / f"{name}.yaml"
        if "/" in name or "\\" in name or not path.is_file():
            known = ", ".join(self.names())
            raise ConfigError("preset", f"unknown preset {name!r} (known: {known})")
        return path

    def load(self, name: str) -> Transform:
        """The pipeline of a named preset."""
        return load_pipeline(self.path(name), kind=self.kind)

    def summary(self, name: str) -> str:
        """The first sentence of the comment that opens the preset's YAML, without its
        `name:` prefix: what the preset is for, as `augment list` shows it."""
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        opening = " ".join(line.lstrip("# ") for line in lines if line.startswith("#"))
        return opening.removeprefix(f"{name}:").strip().split(". ")[0].rstrip(".") + "."
