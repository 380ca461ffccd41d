"""Builders of hostile inputs, made by code (no committed binaries).

Every builder writes into a folder it is given and returns nothing; the cases in
`hostile_cases.py` combine them with a command line and what must happen.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import soundfile as sf
from PIL import Image

RATE = 16000


def png_bytes(image: np.ndarray, mode: str | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def letter(size: int = 24, value: int = 30) -> np.ndarray:
    image = np.full((size, size), 225, np.uint8)
    image[size // 5 : -size // 5, size // 3 : size // 3 + max(2, size // 6)] = value
    return image


def good_images(folder: Path, labels: str = "ab", per_label: int = 2) -> None:
    """Class folders of small letter-like PNGs: the healthy part of a hostile folder."""
    for label in labels:
        (folder / label).mkdir(parents=True, exist_ok=True)
        for i in range(per_label):
            (folder / label / f"ok{i}.png").write_bytes(png_bytes(np.roll(letter(), i, axis=1)))


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def sixteen_bit_png() -> bytes:
    image = (np.linspace(0, 65535, 24 * 24).reshape(24, 24)).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def float_tiff() -> bytes:
    image = np.linspace(0.0, 1.0, 24 * 24, dtype=np.float32).reshape(24, 24)
    buffer = io.BytesIO()
    Image.fromarray(image, mode="F").save(buffer, format="TIFF")
    return buffer.getvalue()


def exif_rotated_jpeg() -> bytes:
    """A 20x40 (wide) JPEG whose EXIF orientation 6 says: display rotated to 40x20."""
    image = np.zeros((20, 40, 3), np.uint8)
    image[:, :10] = 255
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def decompression_bomb_png(side: int = 20000) -> bytes:
    """A tiny PNG that declares side x side grey pixels (Pillow's bomb check refuses it)."""
    raw = zlib.compress(b"\x00" * (side + 1) * 1, 9)  # one row only: decoding fails anyway

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def speech_like(seconds: float = 0.6, seed: int = 0) -> np.ndarray:
    """A voiced, syllable-modulated tone complex: enough for P.56 to find activity."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 140 + 20 * np.sin(2 * np.pi * 3 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 4 * t), 0, None)
    return (0.2 * voiced * envelope + 0.002 * rng.standard_normal(t.size)).astype(np.float32)


def wav_bytes(waveform: np.ndarray, subtype: str = "FLOAT", rate: int = RATE) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, waveform, rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


def good_speech(folder: Path, count: int = 2) -> None:
    """Audio files with same-stem transcripts: the healthy part of a hostile folder."""
    for i in range(count):
        write(folder / f"ok{i}.wav", wav_bytes(speech_like(seed=i), "PCM_16"))
        write(folder / f"ok{i}.txt", f"hello number {i}")


def jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
