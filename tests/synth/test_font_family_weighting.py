"""Font choice is weighted by family: a family shipped in twenty weights gets the share of a
family with one file, counted over the tasks of a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from synth.fonts.files import FontFace
from synth.fonts.fontset import FontSet
from synth.run.plan import balanced_tasks


def _font_set(files: dict[str, tuple[str, str]]) -> FontSet:
    """font id -> (family, characters covered); no font files are read."""
    faces = {fid: FontFace(Path(fid), family, "Regular") for fid, (family, _) in files.items()}
    coverage = {fid: chars for fid, (_, chars) in files.items()}
    return FontSet(Path("."), faces, coverage)


def test_each_family_gets_an_equal_share_however_many_files_it_has() -> None:
    files = {f"big/{w}.ttf": ("Big", "ab") for w in range(20)}
    files |= {f"mid/{w}.ttf": ("Mid", "ab") for w in range(3)}
    files |= {"one.ttf": ("One", "ab"), "only-a.ttf": ("OnlyA", "a")}
    fonts = _font_set(files)
    per_class = 1000
    tasks = list(balanced_tasks("ab", fonts, per_class))
    for char, families in (("a", 4), ("b", 3)):
        used = [t["font"] for t in tasks if t["char"] == char]
        shares = Counter(fonts.faces[f].family for f in used)
        assert len(used) == per_class and len(shares) == families
        # a rotation, not a random draw: every family within one task of per_class / families
        assert all(abs(n - per_class / families) <= 1 for n in shares.values()), shares
    big = Counter(t["font"] for t in tasks if t["char"] == "b" and t["font"].startswith("big"))
    assert len(big) == 20 and max(big.values()) - min(big.values()) <= 1
    assert "only-a.ttf" not in {t["font"] for t in tasks if t["char"] == "b"}


def test_bundled_fonts_share_each_class_evenly_by_family() -> None:
    fonts = FontSet.load(None, "aG7")
    for char in "aG7":
        families = fonts.families_for(char)
        per_class = 7 * len(families)
        used = [t["font"] for t in balanced_tasks(char, fonts, per_class)]
        shares = Counter(fonts.faces[f].family for f in used)
        assert sorted(shares.values()) == [7] * len(families), (char, shares)


def test_a_pack_shares_each_class_by_style_group_then_family() -> None:
    """Three hundred one-file display families beside one mono family: the mono family
    gets half of each class, not a three-hundred-and-first of it."""
    files = {f"display/{i}.ttf": (f"Display {i}", "ab") for i in range(300)}
    files |= {f"mono/{w}.ttf": ("Mono", "ab") for w in ("Regular", "Bold")}
    files |= {"dots.ttf": ("Dots", "a")}
    fonts = _font_set(files)
    fonts.groups = {fid: fid.split("/")[0] if "/" in fid else "dotmatrix" for fid in files}
    per_class = 600
    tasks = list(balanced_tasks("ab", fonts, per_class))
    for char, expected in (("a", {"display": 200, "mono": 200, "dotmatrix": 200}),
                           ("b", {"display": 300, "mono": 300})):  # fmt: skip
        used = Counter(fonts.groups[t["font"]] for t in tasks if t["char"] == char)
        assert used == expected, (char, used)
    display = Counter(t["font"] for t in tasks if t["char"] == "b" and "display" in t["font"])
    assert len(display) == 300 and set(display.values()) == {1}
    mono = Counter(t["font"] for t in tasks if t["char"] == "b" and "mono" in t["font"])
    assert mono == {"mono/Regular.ttf": 150, "mono/Bold.ttf": 150}
