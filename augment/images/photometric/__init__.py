"""Photometric image transforms: they change pixel values, never geometry or labels."""

from augment.images.photometric.blur import Blur
from augment.images.photometric.brightness import Brightness
from augment.images.photometric.contrast import Contrast
from augment.images.photometric.gamma import Gamma
from augment.images.photometric.invert import Invert
from augment.images.photometric.jpeg_compression import JpegCompression
from augment.images.photometric.lighting import Lighting
from augment.images.photometric.low_resolution import LowResolution
from augment.images.photometric.noise import Noise

__all__ = [
    "Blur",
    "Brightness",
    "Contrast",
    "Gamma",
    "Invert",
    "JpegCompression",
    "Lighting",
    "LowResolution",
    "Noise",
]
