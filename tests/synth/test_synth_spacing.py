"""Advance widths and kerning from HarfBuzz agree with Pillow's own text layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from synth_paths import DEJAVU

from augment.core.errors import InputError
from synth.fonts.files import load_font
from synth.fonts.spacing import advance_em, kerning_em

SIZE = 256  # Pillow measures in hinted pixels: compare at a size where a pixel is small


@pytest.mark.parametrize("pair", ["AV", "To", "LT", "Ya", "no", "11", "fi"])
def test_kerning_matches_pillow_layout(pair: str) -> None:
    font = load_font(DEJAVU, SIZE)
    first, second = pair
    expected = (font.getlength(pair) - font.getlength(first) - font.getlength(second)) / SIZE
    assert kerning_em(DEJAVU, first, second) == pytest.approx(expected, abs=2 / SIZE)
    assert advance_em(DEJAVU, first) == pytest.approx(font.getlength(first) / SIZE, abs=1 / SIZE)


def test_kerned_pairs_pull_together_and_plain_pairs_do_not() -> None:
    assert kerning_em(DEJAVU, "A", "V") < -0.03
    assert kerning_em(DEJAVU, "n", "o") == 0.0


def test_a_ligature_never_stands_in_for_a_pair() -> None:
    # glyphs are drawn one by one, so "fi" is two advances, not the width of the fi ligature
    assert kerning_em(DEJAVU, "f", "i") == pytest.approx(0.0, abs=0.02)


def test_unreadable_font_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(InputError, match=r"broken\.ttf"):
        advance_em(bad, "a")
