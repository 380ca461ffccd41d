"""What a preview is made of, whatever it is drawn on (a PNG sheet or an HTML page)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from augment.preview.size import Stored

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg"})


@dataclass(frozen=True)
class Cell:
    """One shown sample: its picture, the caption under it, and the file a page shows or
    plays (an example's own bytes; an original re-encoded losslessly)."""

    picture: np.ndarray
    caption: tuple[str, ...] = ()
    media: bytes = b""
    suffix: str = ".png"

    @property
    def is_audio(self) -> bool:
        return self.suffix in AUDIO_SUFFIXES


@dataclass
class Preview:
    """Rows of cells with their titles and column headers, and the size of each
    previewed example as the run would store it (for the size estimate)."""

    rows: list[list[Cell]]
    row_titles: list[str] | None = None
    headers: list[str] | None = None
    cell_size: tuple[int, int] = (96, 96)
    stored: list[Stored] = field(default_factory=list)
