"""The HTML preview (OUT/preview.html): the same grid as preview.png, in a browser, with
players for audio and the examples' own files beside it in OUT/preview/.

Audio cannot be heard in a PNG; the page plays every original and copy (the copies' files
are the bytes the run writes), shows each spectrogram, and captions cells as the sheet does.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PIL import Image

from augment.preview.cells import Cell, Preview

PAGE_NAME = "preview.html"
MEDIA_DIR = "preview"
OURS = re.compile(r"r\d{3}-c\d{2}(-spectrogram)?\.\w+")  # never an example's name
STYLE = """body{font-family:sans-serif}td,th{vertical-align:top;padding:4px}
img{image-rendering:pixelated;max-width:320px;min-width:96px}
figure{margin:0}figcaption{font-size:12px}audio{display:block;width:320px}"""


def write_preview_html(out: Path, preview: Preview) -> Path:
    """OUT/preview.html and its files under OUT/preview/ (earlier preview files there are
    replaced; a label folder of the same name keeps its examples)."""
    media = out / MEDIA_DIR
    media.mkdir(parents=True, exist_ok=True)
    for old in media.iterdir():
        if OURS.fullmatch(old.name):
            old.unlink()
    rows = []
    for r, row in enumerate(preview.rows):
        title = preview.row_titles[r] if preview.row_titles else ""
        cells = "".join(_cell(media, f"r{r:03d}-c{c:02d}", cell) for c, cell in enumerate(row))
        rows.append(f"<tr><th>{escape(title)}</th>{cells}</tr>")
    headers = "".join(f"<th>{escape(h)}</th>" for h in preview.headers or [])
    page = (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>augsynth preview</title><style>{STYLE}</style></head><body>\n"
        f"<table><thead><tr><th></th>{headers}</tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></body></html>\n"
    )
    path = out / PAGE_NAME
    path.write_text(page, encoding="utf-8")
    return path


def _cell(media: Path, stem: str, cell: Cell) -> str:
    """A table cell: the picture, a player for audio, the caption; writes their files."""
    (media / f"{stem}{cell.suffix}").write_bytes(cell.media)
    source = f"{MEDIA_DIR}/{stem}{cell.suffix}"
    if cell.is_audio:
        picture = f"{MEDIA_DIR}/{stem}-spectrogram.png"
        Image.fromarray(cell.picture).save(media / f"{stem}-spectrogram.png")
        shown = f'<img src="{picture}" alt="spectrogram"><audio controls src="{source}"></audio>'
    else:
        shown = f'<img src="{source}" alt="{escape(cell.caption[0] if cell.caption else "")}">'
    caption = "<br>".join(escape(line) for line in cell.caption)
    return f"<td><figure>{shown}<figcaption>{caption}</figcaption></figure></td>"
