"""The tasks of a run: balanced classes, fonts rotated over those that cover each class.

The tasks are computed from their index, never listed: a run of 10^8 crops needs no more
memory than a run of ten.
"""

from __future__ import annotations

from typing import Any

from augment.dataset.computed_tasks import ComputedTasks
from synth.fonts.fontset import FontSet


class BalancedTasks(ComputedTasks):
    """`per_class` tasks {"char", "font"} per character, interleaved class by class.

    Task k of a class uses that class's k-th covering font (cycling), so every font that
    covers a character gets an equal share of it, and a font lacking it gets none.
    """

    def __init__(self, charset: str, covering: dict[str, list[str]], per_class: int) -> None:
        self.charset = charset
        self.covering = covering
        self.per_class = per_class

    def __len__(self) -> int:
        return self.per_class * len(self.charset)

    def task_at(self, index: int) -> dict[str, str]:
        k, c = divmod(index, len(self.charset))
        char = self.charset[c]
        fonts = self.covering[char]
        return {"char": char, "font": fonts[k % len(fonts)]}

    def identity(self) -> dict[str, Any]:
        """The charset, the fonts covering each character (in order) and the count."""
        return {"charset": self.charset, "covering": self.covering, "per_class": self.per_class}


def balanced_tasks(charset: str, fonts: FontSet, per_class: int) -> BalancedTasks:
    """The balanced tasks of `charset` over the fonts that cover each character."""
    fonts.require(charset)
    covering = {char: fonts.fonts_for(char) for char in charset}
    return BalancedTasks(charset, covering, per_class)
