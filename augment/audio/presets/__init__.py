"""Named audio pipelines: YAML files in this folder, loaded by name.

`robust-speech` is the recommended starting point for speech that must survive real
noise, rooms and phone lines (see robust-speech.yaml for the steps and probabilities).
"""

from __future__ import annotations

from pathlib import Path

from augment.core.presets import PresetFolder
from augment.core.transform import Transform

PRESETS = PresetFolder(Path(__file__).resolve().parent, "audio")


def preset_names() -> list[str]:
    return PRESETS.names()


def preset_path(name: str) -> Path:
    """The YAML file of a preset; ConfigError listing the presets for an unknown name."""
    return PRESETS.path(name)


def load_preset(name: str) -> Transform:
    """The pipeline of a named preset."""
    return PRESETS.load(name)
