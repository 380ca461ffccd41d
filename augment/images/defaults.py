"""What `augment images` applies when no transform is asked for (and `augment explore` shows
first): mild, realistic distortions of OCR crops that keep every letter readable."""

from __future__ import annotations

from augment.core.combinators import Sequence
from augment.core.transform import Transform
from augment.images.geometry import GridWarp, Rotate, Scale
from augment.images.photometric import Contrast


def default_image_pipeline() -> Transform:
    """Rotate +-5 degrees, scale 0.9-1.1, grid warp up to 0.2 cell, contrast 0.7-1.4."""
    return Sequence(
        [
            Rotate(degrees=5.0),
            Scale(factor=(0.9, 1.1)),
            GridWarp(magnitude=(0.0, 0.2)),
            Contrast(factor=(0.7, 1.4)),
        ]
    )
