"""Noise sources for BackgroundNoise: bundled scenes or the user's own folders, loaded lazily.

A source is named by a string:

- a bundled scene (`crowd`, `car`, `street`, `cafe`): its variants
  `noise_samples/<scene>_*.flac` (car_50, car_100, ...; or `<scene>.flac`), one drawn per
  example and recorded as `noise_file`; or one variant by its name (`car_100`);
- a path to an audio file or a folder (searched recursively for .wav/.flac/.ogg);
- with `noise_dir`, a name selects files under that folder: a sub-folder of that name at any
  depth (MUSAN `noise`, `music`; DEMAND `DKITCHEN`), a file stem, or an ESC-50 category
  (`meta/esc50.csv`); `*` selects every file.

Indexing lists paths only. Durations come from `soundfile.info` when a file is first drawn,
and only the segment that is needed is read; files up to `CACHE_MAX_SECONDS` long are kept
decoded in a small per-process cache, as repeated draws from the bundled scenes are common.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

from augment.core.errors import ConfigError, InputError

AUDIO_EXTENSIONS = frozenset({".wav", ".flac", ".ogg"})
BUNDLED_SCENES = ("crowd", "car", "street", "cafe")
CACHE_MAX_SECONDS = 180.0
CACHE_FILES = 8


@dataclass(frozen=True)
class NoiseInfo:
    frames: int
    sample_rate: int

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


def bundled_dir() -> Path:
    from augment.assets import asset_dir

    return asset_dir("noise_samples")


def bundled_files(name: str) -> tuple[str, ...]:
    """The bundled files a name selects: a scene's variants, or one variant by its name."""
    root = bundled_dir()
    if name in BUNDLED_SCENES:
        return tuple(
            sorted(p.name for p in (*root.glob(f"{name}.flac"), *root.glob(f"{name}_*.flac")))
        )
    scene = name.split("_")[0]
    if scene in BUNDLED_SCENES and "/" not in name and (root / f"{name}.flac").is_file():
        return (f"{name}.flac",)
    return ()


def _audio_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in AUDIO_EXTENSIONS
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _esc50_categories(root: Path) -> dict[str, list[str]]:
    table = root / "meta" / "esc50.csv"
    if not table.is_file():
        return {}
    groups: dict[str, list[str]] = {}
    with open(table, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            groups.setdefault(row["category"], []).append(f"audio/{row['filename']}")
    return groups


@lru_cache(maxsize=64)
def resolve_source(name: str, noise_dir: str | None) -> tuple[str, tuple[str, ...]]:
    """(root folder, files relative to it) for one source name; errors name the source.

    A source none of whose first files is audio (a typo like --noise /etc/passwd, a folder
    of broken downloads) is refused here, before a run would skip every input with it.
    """
    root, files = _find_source(name, noise_dir)
    _require_audio(name, root, files)
    return root, files


PROBED_FILES = 20  # files of a source whose headers are read up front (the rest lazily)


def _require_audio(name: str, root: str, files: tuple[str, ...]) -> None:
    first_error = ""
    for rel in files[:PROBED_FILES]:
        try:
            sf.info(str(Path(root) / rel))
            return
        except (RuntimeError, sf.LibsndfileError) as err:
            first_error = first_error or f"{Path(root) / rel}: {str(err).splitlines()[0]}"
    raise ConfigError("noise", f"{name}: no readable audio ({first_error})")


def _find_source(name: str, noise_dir: str | None) -> tuple[str, tuple[str, ...]]:
    if noise_dir is None:
        matches = bundled_files(name)
        if matches:
            return str(bundled_dir()), matches
        if name in BUNDLED_SCENES:
            raise ConfigError("noise", f"bundled scene {name!r} missing in {bundled_dir()}")
        path = Path(name).expanduser()  # the shell leaves ~ unexpanded after a comma
        if path.is_file():
            return str(path.parent), (path.name,)
        if path.is_dir():
            files = _audio_files(path)
            if not files:
                raise ConfigError("noise", f"{name}: no .wav/.flac/.ogg files")
            return str(path), tuple(str(f.relative_to(path)) for f in files)
        listed = ", ".join(BUNDLED_SCENES)
        raise ConfigError("noise", f"{name!r} is neither a bundled scene ({listed}) nor a path")
    root = Path(noise_dir).expanduser()
    if not root.is_dir():
        raise ConfigError("noise_dir", f"{noise_dir}: no such folder")
    every = [str(f.relative_to(root)) for f in _audio_files(root)]
    if name == "*":
        chosen = every
    else:
        wanted = name.lower()
        chosen = [
            f
            for f in every
            if wanted in (part.lower() for part in Path(f).parent.parts)
            or Path(f).stem.lower() == wanted
        ]
        if not chosen:
            chosen = sorted(_esc50_categories(root).get(name, []))
    if not chosen:
        raise ConfigError("noise", f"{name!r}: no matching audio under {noise_dir}")
    return str(root), tuple(chosen)


@lru_cache(maxsize=4096)
def noise_info(path: str) -> NoiseInfo:
    try:
        info = sf.info(path)
    except (RuntimeError, sf.LibsndfileError) as err:
        raise InputError(path, f"unreadable noise file ({err})") from None
    return NoiseInfo(int(info.frames), int(info.samplerate))


_decoded: OrderedDict[str, np.ndarray] = OrderedDict()


def _mono(data: np.ndarray) -> np.ndarray:
    return data if data.ndim == 1 else data.mean(axis=1, dtype=np.float32)


def read_segment(path: str, start: int, frames: int) -> np.ndarray:
    """Mono float32 samples [start, start + frames) of a noise file (shorter at the end)."""
    info = noise_info(path)
    if info.duration <= CACHE_MAX_SECONDS:
        data = _decoded.get(path)
        if data is None:
            data = _mono(sf.read(path, dtype="float32", always_2d=False)[0])
            _decoded[path] = data
            while len(_decoded) > CACHE_FILES:
                _decoded.popitem(last=False)
        else:
            _decoded.move_to_end(path)
        return data[start : start + frames]
    with sf.SoundFile(path) as handle:
        handle.seek(start)
        return _mono(handle.read(frames, dtype="float32", always_2d=False))
