"""synth.yaml: render options and the augmentation pipeline of a run.

render:            # any RenderOptions field; omitted ones keep their defaults
  min_contrast: 3
  p_neighbour: 0.8
augment: photo     # a preset name (photo, scan, clean) or a pipeline config list
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from augment.core.errors import ConfigError
from augment.core.registry import build_pipeline
from augment.core.transform import Transform
from synth.run.options import RenderOptions
from synth.run.presets import DEFAULT_PRESET, load_preset

KEYS = ("render", "augment")


def augment_config(spec: Any) -> list | dict:
    """A preset name resolved to its pipeline config; a config is returned as given."""
    if spec is None:
        return load_preset(DEFAULT_PRESET)
    if isinstance(spec, str):
        return load_preset(spec)
    if isinstance(spec, Transform):
        raise ConfigError("augment", "pass a preset name or a config, not a built transform")
    return spec


def build_augment(spec: Any) -> Transform:
    try:
        return build_pipeline(augment_config(spec))
    except ConfigError as err:
        raise err.under("augment") from None


def read_config(path: str | Path) -> dict[str, Any]:
    """The parsed synth.yaml (keys `render` and `augment`), checked for unknown keys."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as err:
        raise ConfigError(str(path), f"cannot read: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise ConfigError(str(path), f"not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "expected a mapping with keys render and augment")
    for key in data:
        if key not in KEYS:
            raise ConfigError(f"{path}: {key}", f"unknown key (expected {', '.join(KEYS)})")
    try:
        RenderOptions.from_dict(data.get("render"))
        build_augment(data.get("augment"))
    except ConfigError as err:
        prefix = "render." if err.field and not err.field.startswith("augment") else ""
        raise ConfigError(f"{path}: {prefix}{err.field}", err.message) from None
    return data
