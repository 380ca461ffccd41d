"""Place a grid on the image and move its interior vertices: local, smooth distortion."""

from __future__ import annotations

import numpy as np

from augment.core.draws import uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_int
from augment.images.geometry.base import RemappingTransform


@register
class GridWarp(RemappingTransform):
    """Warp by moving the interior vertices of a grid of cells; pixels follow bilinearly.

    The "place a grid on the letter and warp it" distortion of the photo-OCR literature:
    realistic for printed characters on uneven paper, cloth, curved signs, and for the
    small stroke-shape differences between fonts and hands. The image border stays put.

    cells: cells across and down (one number for both, or [across, down]).
    magnitude: [low, high] vertex displacement as a fraction of the cell size; per call one
        magnitude m is drawn and each vertex coordinate moves uniformly within [-m, m].
        Keep below 0.5 so cells never fold.
    Params record `offsets`: interior vertices row by row, (dx, dy) in cell units, flat.
    """

    def __init__(
        self,
        cells: int | tuple[int, int] = 4,
        magnitude: float | tuple[float, float] = (0.0, 0.25),
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        pair = (cells, cells) if isinstance(cells, int) else tuple(cells)
        if len(pair) != 2:
            raise ConfigError("cells", f"expected a whole number or [across, down], got {cells!r}")
        for value in pair:
            check_int("cells", value, 2, 64)
        self.cells = cells
        self.magnitude = as_range("magnitude", magnitude, 0.0, 0.45)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def _cells(self) -> tuple[int, int]:
        if isinstance(self.cells, int):
            return self.cells, self.cells
        return self.cells[0], self.cells[1]

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        across, down = self._cells()
        m = uniform(rng, self.magnitude)
        offsets = rng.random(2 * (down - 1) * (across - 1)) * (2.0 * m) - m
        return self._with_border(rng, {"offsets": offsets.tolist()})

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        across, down = self._cells()
        field = np.zeros((down + 1, across + 1, 2))
        offsets = np.asarray(params["offsets"]).reshape(down - 1, across - 1, 2)
        field[1:-1, 1:-1] = offsets * (width / across, height / down)
        return field

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        across, down = self._cells()
        field = np.zeros((len(params), down + 1, across + 1, 2))
        offsets = np.array([p["offsets"] for p in params], dtype=np.float64)
        offsets = offsets.reshape(len(params), down - 1, across - 1, 2)
        field[:, 1:-1, 1:-1] = offsets * (width / across, height / down)
        return field
