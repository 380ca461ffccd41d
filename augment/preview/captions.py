"""Caption lines under a preview cell: the drawn values a reader compares across copies.

Read from the example's manifest row (its params, and the columns a maker measured, such as
the SNR achieved), so a caption says what the dataset records, in a few words rather than
raw JSON. A transform without a wording of its own shows its name and first scalar params.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from augment.core.transform import Transform
from augment.preview.steps import applied_steps

Row = dict[str, Any]
SKIPPED_KEYS = frozenset({"seed", "ir_seed", "border", "fill", "lost_frames", "frame_ms"})
GENERIC_VALUES = 2  # scalar params a generic caption shows


def caption_lines(row: Row, pipeline: Transform) -> list[str]:
    """One line per step that ran, worded for people; 'unchanged' when none did."""
    lines = [
        _describe(name, params, row) for name, params in applied_steps(pipeline, row["params"])
    ]
    return [line for line in lines if line] or ["unchanged"]


def label_lines(row: Row) -> list[str]:
    """Under a synthetic crop: its label, and the font it was drawn from (file stem)."""
    label = "unlabelled" if row.get("label") is None else str(row["label"])
    font = row.get("font")
    return [label, PurePath(font).stem] if font else [label]


def number(value: float, digits: int = 2) -> str:
    """A drawn value rounded for reading; the manifest keeps it whole."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(round(value))
    return "0" if text == "-0" else text


def degrees(value: float) -> str:
    """An angle with its sign, to a tenth of a degree ('+3.2°'; '0.0°', never '-0.0°')."""
    return f"{value:+.1f}°" if round(value, 1) else "0.0°"


def _describe(name: str, params: Any, row: Row) -> str:
    wording = WORDINGS.get(name)
    if wording is not None:
        return wording(params or {}, row)
    return _generic(name, params)


def _generic(name: str, params: Any) -> str:
    """'name key value, ...' from the first scalar params (lists and seeds left out)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
    if not isinstance(params, dict):
        return words
    shown = [
        f"{key} {number(value) if isinstance(value, float) else value}"
        for key, value in params.items()
        if key not in SKIPPED_KEYS and isinstance(value, (int, float, str)) and value is not None
    ][:GENERIC_VALUES]
    return f"{words} {', '.join(shown)}".strip()


def _noise(params: Row, row: Row) -> str:
    """Scene and variant (the noise file), SNR achieved as measured, and as asked."""
    variant = PurePath(str(params.get("noise_file", ""))).stem or params.get("noise_source")
    achieved = row.get("snr_db_achieved", params.get("snr_db"))
    asked = row.get("snr_db_asked", params.get("snr_db"))
    snr = f"SNR {number(achieved, 1)} dB" if achieved is not None else "SNR ?"
    if asked is not None and achieved is not None and round(asked, 1) != round(achieved, 1):
        snr += f" (asked {number(asked, 1)})"
    elif asked is not None:
        snr += " (as asked)"
    return f"noise {variant}, {snr}"


def _phone(params: Row, row: Row) -> str:
    """Codec, packet loss (share of frames lost) and clipping, when drawn."""
    loss = params.get("PacketLoss") or {}
    lost = len(loss.get("lost_frames", []))
    text = f"phone {params.get('codec')}, loss {number(100 * loss.get('loss_rate', 0.0), 1)}%"
    text += f" ({lost} frames)" if lost else ""
    clip = params.get("Clipping")
    return text + (f", clip {number(100 * clip['clip_fraction'], 1)}%" if clip else "")


def _mirror(params: Row, row: Row) -> str:
    """Mirrored or not (no line), and the label it became."""
    if not params.get("flip"):
        return ""
    return f"mirrored, label {params['label']}" if params.get("label") else "mirrored"


WORDINGS: dict[str, Callable[[Row, Row], str]] = {
    "Rotate": lambda p, _: f"angle {degrees(p['angle'])}",
    "Shear": lambda p, _: (
        f"shear x {degrees(p['x'])}" + (f", y {degrees(p['y'])}" if round(p["y"], 1) else "")
    ),
    "Mirror": _mirror,
    "Blur": lambda p, _: f"blur {p['kind']} {number(p['size'], 3)}",
    "Lighting": lambda p, _: f"lighting {p['kind']} {number(p['strength'])}",
    "LowResolution": lambda p, _: f"low resolution x{number(p['scale'])}",
    "Scale": lambda p, _: f"scale {number(p['factor'])}",
    "Contrast": lambda p, _: f"contrast {number(p['factor'])}",
    "Brightness": lambda p, _: f"brightness {p['delta']:+.2f}",
    "Gamma": lambda p, _: f"gamma {number(p['gamma'])}",
    "JpegCompression": lambda p, _: f"jpeg q{p['quality']}",
    "BackgroundNoise": _noise,
    "BadPhone": _phone,
    "G711": lambda p, _: f"codec {p['law']}",
    "GSM": lambda p, _: "codec gsm",
    "LossyCompression": lambda p, _: f"codec {p['codec']} {p['bitrate_kbps']} kbps",
    "Gain": lambda p, _: f"gain {p['gain_db']:+.1f} dB",
    "Reverb": lambda p, _: f"reverb RT60 {number(p['rt60_s'])} s, DRR {number(p['drr_db'], 0)} dB",
    "PacketLoss": lambda p, _: f"loss {number(100 * p['loss_rate'], 1)}%",
}
