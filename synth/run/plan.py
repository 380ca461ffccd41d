"""The tasks of a run: balanced classes, fonts rotated family by family over those that
cover each class.

A font family shipped in twenty weights is one design, not twenty: rotating over files
would give it twenty times the share of a family with one file (and with a font pack of
hundreds of families, a few large families would dominate). So each class rotates over
the families that cover it, and within a family over its files.

Fonts of a font pack add a level above families: a class rotates over the style groups
that cover it, then over each group's families (one foundry's hundreds of one-file display
families would otherwise take most of the draws).

The tasks are computed from their index, never listed: a run of 10^8 crops needs no more
memory than a run of ten.
"""

from __future__ import annotations

from typing import Any

from augment.dataset.computed_tasks import ComputedTasks
from synth.fonts.fontset import FontSet


class BalancedTasks(ComputedTasks):
    """`per_class` tasks {"char", "font"} per character, interleaved class by class.

    covering: char -> the families that cover it, each a list of its covering font ids
    (or, for a pack, the style groups, each a list of such families: FontSet.choices_for).
    Task k of a class uses family k mod F (F families cover it) and, within that family,
    its (k div F)-th file (cycling); with groups, group k mod G, then that group's
    (k div G)-th turn. Every family gets an equal share of a class (of its group), to within
    one task, every file an equal share of its family's, and a font lacking the character
    gets none.
    """

    def __init__(self, charset: str, covering: dict[str, list], per_class: int) -> None:
        self.charset = charset
        self.covering = covering
        self.per_class = per_class

    def __len__(self) -> int:
        return self.per_class * len(self.charset)

    def task_at(self, index: int) -> dict[str, str]:
        k, c = divmod(index, len(self.charset))
        char = self.charset[c]
        choices: list | str = self.covering[char]
        while not isinstance(choices, str):  # branch k mod B, then its (k div B)-th turn
            k, branch = divmod(k, len(choices))
            choices = choices[branch]
        return {"char": char, "font": choices}

    def identity(self) -> dict[str, Any]:
        """The charset, the fonts covering each character (in order) and the count."""
        return {"charset": self.charset, "covering": self.covering, "per_class": self.per_class}


def balanced_tasks(charset: str, fonts: FontSet, per_class: int) -> BalancedTasks:
    """The balanced tasks of `charset` over the font families (in a pack: the style groups,
    then families) that cover each character."""
    fonts.require(charset)
    covering = {char: fonts.choices_for(char) for char in charset}
    return BalancedTasks(charset, covering, per_class)
