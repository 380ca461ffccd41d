"""Augmentation presets for synthetic crops, as pipeline configs (YAML beside this file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from augment.core.errors import ConfigError

HERE = Path(__file__).parent
DEFAULT_PRESET = "photo"


def preset_names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


def load_preset(name: str) -> list[Any]:
    """The pipeline config of preset `name` (build it with augment's `build_pipeline`)."""
    path = HERE / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(preset_names())
        raise ConfigError("augment", f"unknown preset {name!r} (known: {known})")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []
