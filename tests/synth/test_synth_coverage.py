"""A font that lacks a character never produces a crop of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from synth_paths import BEBAS, DEJAVU, DSEG7, FONTS

from augment.core.errors import AugsynthError
from synth.fonts.coverage import CoverageCache, check_glyph, usable_chars
from synth.fonts.fontset import FontSet
from synth.run.plan import balanced_tasks


def test_cmap_check_rejects_characters_the_font_lacks() -> None:
    assert check_glyph(DEJAVU, "a") and check_glyph(DEJAVU, "Z")
    assert not check_glyph(DEJAVU, "中")  # Latin font, CJK character
    assert not check_glyph(DSEG7, "a")  # 7-segment font: no lower-case letters
    assert check_glyph(DSEG7, "7")


def test_caps_only_font_does_not_cover_lower_case() -> None:
    # Bebas Neue maps 'a' to a capital A shape: a crop labelled 'a' would be wrong.
    assert check_glyph(BEBAS, "A")
    assert not check_glyph(BEBAS, "a")


def _font_with_fake_glyphs(tmp_path: Path) -> Path:
    """DejaVu Sans with U+4E2D mapped to a copy of .notdef and U+4E2E to a blank glyph."""
    font = TTFont(str(DEJAVU))
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = font.getGlyphOrder()
    glyf.glyphs["fakenotdef"] = glyf[".notdef"]
    hmtx.metrics["fakenotdef"] = hmtx.metrics[".notdef"]
    order.append("fakenotdef")
    font.setGlyphOrder(order)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x4E2D] = "fakenotdef"
            table.cmap[0x4E2E] = "space"
    path = tmp_path / "Faked.ttf"
    font.save(str(path))
    return path


def test_render_check_rejects_tofu_and_blank_glyphs(tmp_path: Path) -> None:
    path = _font_with_fake_glyphs(tmp_path)
    assert check_glyph(path, "a")
    assert not check_glyph(path, "\u4e2d")  # in the cmap, but draws the .notdef box
    assert not check_glyph(path, "\u4e2e")  # in the cmap, but draws nothing


def test_allow_list_beside_a_font_limits_it() -> None:
    cache = CoverageCache()
    assert "A" in cache.covered(DSEG7, "A7")  # the font claims a 7-segment 'A'
    assert usable_chars(DSEG7, "A7", cache) == "7"  # DSEG7Classic-Regular.chars: digits only


def test_coverage_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    CoverageCache(tmp_path).covered(DSEG7, "0a")
    assert len(list((tmp_path / "coverage").glob("*.json"))) == 1

    def fail(*args):
        raise AssertionError("coverage recomputed despite the cache")

    monkeypatch.setattr("synth.fonts.coverage.check_glyph", fail)
    assert CoverageCache(tmp_path).covered(DSEG7, "0a") == "0"


def test_tasks_only_use_fonts_that_cover_the_character(two_fonts: Path) -> None:
    fonts = FontSet.load(two_fonts, "a1")
    tasks = balanced_tasks("a1", fonts, per_class=6)
    fonts_of = {c: {t["font"] for t in tasks if t["char"] == c} for c in "a1"}
    assert fonts_of["a"] == {"DejaVuSans.ttf"}
    assert fonts_of["1"] == {"DejaVuSans.ttf", "DSEG7Classic-Regular.ttf"}
    assert [t["char"] for t in tasks].count("a") == [t["char"] for t in tasks].count("1") == 6


def test_a_character_no_font_covers_is_an_error(two_fonts: Path) -> None:
    fonts = FontSet.load(two_fonts, "a中")
    with pytest.raises(AugsynthError, match="U\\+4E2D"):
        balanced_tasks("a中", fonts, per_class=1)


def test_a_corrupt_font_file_is_named_and_left_out(tmp_path: Path) -> None:
    shutil.copy(DEJAVU, tmp_path / "good.ttf")
    (tmp_path / "broken.ttf").write_bytes(b"\x00\x01\x00\x00not really a font")
    font_set = FontSet.load(tmp_path, "a")
    assert list(font_set.faces) == ["good.ttf"]
    assert len(font_set.skipped) == 1 and "broken.ttf" in font_set.skipped[0]
    (tmp_path / "good.ttf").unlink()
    with pytest.raises(AugsynthError, match=r"no readable font \(1 damaged\)"):
        FontSet.load(tmp_path, "a")


def test_bundled_fonts_are_many_and_licensed() -> None:
    files = [p for p in FONTS.rglob("*") if p.suffix in (".ttf", ".otf")]
    assert len(files) >= 30
    families = {p.parent for p in files}
    for family in families:
        assert list(family.glob("copyright*")), f"{family} has no licence file"
    sources = (FONTS / "SOURCES.md").read_text()
    assert all(family.name in sources for family in families)
    assert sum(p.stat().st_size for p in FONTS.rglob("*")) < 15_000_000


def test_styles_follow_the_file_name_where_the_name_table_contradicts_it() -> None:
    from synth.fonts.files import read_face, style_from_file_name

    courier = FONTS / "CourierPrime"
    assert read_face(courier / "CourierPrime-Regular.otf").style == "Regular"  # declares Light
    assert read_face(courier / "CourierPrimeSans-Bold.otf").style == "Bold"  # declares Light
    condensed = FONTS / "DejaVu" / "DejaVuSansCondensed-BoldOblique.ttf"
    assert read_face(condensed).style == "Condensed Bold Oblique"  # agrees: declared kept
    assert style_from_file_name(FONTS / "x" / "Inconsolata.otf") is None
