"""The task list of a run: balanced classes, fonts rotated over those that cover each class."""

from __future__ import annotations

from synth.fonts.fontset import FontSet


def balanced_tasks(charset: str, fonts: FontSet, per_class: int) -> list[dict[str, str]]:
    """`per_class` tasks {"char", "font"} per character, interleaved class by class.

    Task k of a class uses that class's k-th covering font (cycling), so every font that
    covers a character gets an equal share of it, and a font lacking it gets none.
    """
    fonts.require(charset)
    covering = {char: fonts.fonts_for(char) for char in charset}
    return [
        {"char": char, "font": covering[char][k % len(covering[char])]}
        for k in range(per_class)
        for char in charset
    ]
