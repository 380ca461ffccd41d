"""Where a preview goes: preview.png always, preview.html with its files when asked."""

from __future__ import annotations

from pathlib import Path

from augment.preview.cells import Preview
from augment.preview.page import write_preview_html
from augment.preview.sheet import write_preview


def write_outputs(out: Path, preview: Preview, html: bool) -> list[Path]:
    """Write the preview's files; their paths, to print."""
    paths = [write_preview(out, preview)]
    return [*paths, write_preview_html(out, preview)] if html else paths
