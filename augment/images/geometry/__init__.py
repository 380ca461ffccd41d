"""Geometric image transforms; consecutive ones fuse into one coordinate map (one remap)."""

from augment.images.geometry.affine import Affine
from augment.images.geometry.elastic import Elastic
from augment.images.geometry.grid_warp import GridWarp
from augment.images.geometry.mirror import Mirror
from augment.images.geometry.perspective import Perspective
from augment.images.geometry.rotate import Rotate
from augment.images.geometry.scale import Scale
from augment.images.geometry.shear import Shear
from augment.images.geometry.translate import Translate

__all__ = [
    "Affine",
    "Elastic",
    "GridWarp",
    "Mirror",
    "Perspective",
    "Rotate",
    "Scale",
    "Shear",
    "Translate",
]
