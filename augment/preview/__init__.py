"""Previews: look at examples (or spectrograms) before generating a million, and read
what was drawn for each.

A preview is rows of captioned cells (`cells`), made from a run's own maker
(`grids`: an input beside its copies, or a run's first examples), drawn as OUT/preview.png
(`sheet`) and, with --preview-html, as OUT/preview.html with players (`page`). Captions
word the params each example's manifest row records (`captions`, `steps`); audio is shown
as spectrograms with axes (`spectrogram`). `--dry-run` writes only the preview and
estimates the full run's size (`dry_run`, `size`).
"""

from augment.preview.cells import Cell, Preview
from augment.preview.dry_run import dry_run
from augment.preview.grids import CopyMaker, copies_grid, examples_grid
from augment.preview.outputs import write_outputs
from augment.preview.sheet import PREVIEW_NAME, contact_sheet, write_preview
from augment.preview.spectrogram import spectrogram, spectrogram_picture

__all__ = [
    "PREVIEW_NAME",
    "Cell",
    "CopyMaker",
    "Preview",
    "contact_sheet",
    "copies_grid",
    "dry_run",
    "examples_grid",
    "spectrogram",
    "spectrogram_picture",
    "write_outputs",
    "write_preview",
]
