"""Named audio pipelines: YAML files in this folder, loaded by name.

`robust-speech` is the recommended starting point for speech that must survive real
noise, rooms and phone lines (see robust-speech.yaml for the steps and probabilities).
"""

from __future__ import annotations

from pathlib import Path

from augment.core.errors import ConfigError
from augment.core.registry import load_pipeline
from augment.core.transform import Transform

PRESET_DIR = Path(__file__).resolve().parent


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """The YAML file of a preset; ConfigError listing the presets for an unknown name."""
    path = PRESET_DIR / f"{name}.yaml"
    if "/" in name or not path.is_file():
        raise ConfigError("preset", f"unknown preset {name!r} (known: {', '.join(preset_names())})")
    return path


def load_preset(name: str) -> Transform:
    """The pipeline of a named preset."""
    return load_pipeline(preset_path(name))
