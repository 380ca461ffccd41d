"""The contact sheet draws column headers and captions where they belong; spectrograms
are on a dBFS scale (measured with sines) with axes and a colour bar."""

from __future__ import annotations

import numpy as np

from augment.core.sample import AudioSample
from augment.preview.sheet import GAP, LINE, contact_sheet
from augment.preview.spectrogram import (
    AXIS_LEFT,
    AXIS_TOP,
    BAR_RIGHT,
    colour,
    spectrogram_db,
    spectrogram_picture,
)

CELL = 48


def _ink(region: np.ndarray) -> int:
    """Pixels that are not white background."""
    return int(np.count_nonzero(region.min(axis=-1) < 200))


def test_headers_sit_above_their_columns_and_captions_under_their_cells():
    grey = np.full((CELL, CELL), 128, np.uint8)
    rows = [[grey, grey, grey]]
    captions = [[("original",), ("angle +3.0°", "contrast 1.2"), ()]]
    sheet = np.asarray(
        contact_sheet(rows, None, (CELL, CELL), ["original", "copy 1", ""], captions)
    )
    plain = np.asarray(contact_sheet(rows, None, (CELL, CELL)))
    assert sheet.shape[0] == plain.shape[0] + (LINE + GAP) + 2 * LINE  # header + 2 lines

    def column(c: int) -> slice:
        return slice(GAP + c * (CELL + GAP), GAP + c * (CELL + GAP) + CELL)

    header = sheet[GAP : GAP + LINE]
    assert _ink(header[:, column(0)]) > 10 and _ink(header[:, column(1)]) > 10
    assert _ink(header[:, column(2)]) == 0  # an empty header draws nothing
    top = LINE + GAP + GAP
    assert _ink(sheet[top : top + CELL, column(1)]) == CELL * CELL  # the picture itself
    first, second = (sheet[top + CELL + k * LINE : top + CELL + (k + 1) * LINE] for k in (0, 1))
    assert _ink(first[:, column(1)]) > 10 and _ink(second[:, column(1)]) > 10
    assert _ink(second[:, column(0)]) == 0 and _ink(first[:, column(2)]) == 0


def test_a_long_caption_is_cut_at_its_cell():
    grey = np.full((CELL, CELL), 128, np.uint8)
    captions = [[("a caption much longer than any cell is wide",), ()]]
    sheet = np.asarray(contact_sheet([[grey, grey]], None, (CELL, CELL), None, captions))
    line = sheet[GAP + CELL : GAP + CELL + LINE]
    assert _ink(line[:, GAP : GAP + CELL]) > 10
    assert _ink(line[:, GAP + CELL + 1 :]) == 0  # nothing in the gap or the next cell


def _sine(db: float, hz: float = 1000.0, rate: int = 16000) -> AudioSample:
    t = np.arange(rate) / rate
    return AudioSample((10 ** (db / 20) * np.sin(2 * np.pi * hz * t)).astype(np.float32), rate)


def test_the_spectrogram_is_in_dbfs():
    for level in (0.0, -20.0, -45.0):
        db = spectrogram_db(_sine(level))
        bin_1k = round(1000 / 16000 * 512)
        assert abs(float(np.median(db[bin_1k])) - level) < 0.2
        assert int(np.argmax(db.mean(axis=1))) == bin_1k


def test_the_spectrogram_picture_has_axes_and_a_colour_bar():
    width, height = 320, 160
    picture = spectrogram_picture(_sine(-20.0), (width, height))
    assert picture.shape == (height, width, 3)
    bar = picture[AXIS_TOP : height - 14, width - BAR_RIGHT + 8].astype(int).sum(axis=1)
    assert bar[0] > bar[len(bar) // 2] > bar[-1]  # loud (top) bright, quiet dark
    assert np.array_equal(picture[AXIS_TOP, width - BAR_RIGHT + 8], colour(np.array(1.0)))
    assert _ink(picture[height - 12 :, AXIS_LEFT:-BAR_RIGHT]) > 20  # time labels
    assert _ink(picture[AXIS_TOP:-14, : AXIS_LEFT - 4]) > 20  # frequency labels
    assert _ink(picture[AXIS_TOP:-14, width - BAR_RIGHT + 14 :]) > 20  # dB labels
    # the 1 kHz line sits an eighth of the way up the 8 kHz axis, bright; silence is dark
    plot_bottom = height - 14 - 1
    row = plot_bottom - round(1 / 8 * (plot_bottom - AXIS_TOP))
    line = picture[row - 1 : row + 2, AXIS_LEFT + 20 : AXIS_LEFT + 200].astype(int).sum(axis=-1)
    assert line.max() >= int(colour(np.array(0.6)).astype(int).sum())  # above -40 dBFS
    assert np.array_equal(picture[AXIS_TOP + 5, AXIS_LEFT + 50], colour(np.array(0.0)))
