"""Shared fixtures."""

from __future__ import annotations

import numpy as np
import pytest

from augment.core.sample import ImageSample


@pytest.fixture
def gray_sample() -> ImageSample:
    return ImageSample(image=np.zeros((8, 8), dtype=np.float32), label="a")
