"""Named image pipelines: YAML files in this folder, loaded by name.

`photo-chars` is the recommended starting point for augmenting real photographed
character crops: framing, camera pose, light and optics, each with a probability, and
nothing that could change a label (see photo-chars.yaml for the steps and the real-crop
statistics behind their ranges).
"""

from __future__ import annotations

from pathlib import Path

from augment.core.presets import PresetFolder
from augment.core.transform import Transform

PRESETS = PresetFolder(Path(__file__).resolve().parent, "image")


def preset_names() -> list[str]:
    return PRESETS.names()


def load_preset(name: str) -> Transform:
    """The pipeline of a named preset."""
    return PRESETS.load(name)
