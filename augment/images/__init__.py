"""Image augmentation: geometric transforms that fuse into one remap, photometric ones,
and the batch path for stacks of small crops.

    from augment import ImageSample, build_pipeline, example_rng
    pipeline = build_pipeline([{"Rotate": {"degrees": 10}}, {"GridWarp": {}}, "Contrast"])
    out = pipeline(ImageSample(crop, label="a"), rng=example_rng(0, 7))
"""

from augment.images.geometry import (
    Affine,
    Elastic,
    GridWarp,
    Mirror,
    Perspective,
    Rotate,
    Scale,
    Shear,
    Translate,
)
from augment.images.photometric import (
    Blur,
    Brightness,
    Contrast,
    Gamma,
    Invert,
    JpegCompression,
    Lighting,
    LowResolution,
    Noise,
)

__all__ = [
    "Affine",
    "Blur",
    "Brightness",
    "Contrast",
    "Elastic",
    "Gamma",
    "GridWarp",
    "Invert",
    "JpegCompression",
    "Lighting",
    "LowResolution",
    "Mirror",
    "Noise",
    "Perspective",
    "Rotate",
    "Scale",
    "Shear",
    "Translate",
]
