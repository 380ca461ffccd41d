"""summary.md: the report in words and tables, for a person (focus.yaml is for programs)."""

from __future__ import annotations

from collections.abc import Sequence

from augment.analysis.confusion import ClassAccuracy, ConfusionPair
from augment.analysis.slices import Slice
from augment.analysis.tags import TagCount


def summary_markdown(
    classes: Sequence[ClassAccuracy],
    pairs: Sequence[ConfusionPair],
    slices: Sequence[Slice],
    tags: tuple[int, list[TagCount]] | None,
    top: int = 20,
) -> str:
    """Overall numbers, then the worst classes, confusions, slices and tag counts."""
    count = sum(c.count for c in classes)
    errors = sum(c.errors for c in classes)
    case_only = sum(c.case_only_errors for c in classes)
    lines = [
        "# Error report",
        "",
        f"{count} predictions, {errors} errors (error rate {errors / count:.2%}, accuracy "
        f"{1 - errors / count:.2%}); {case_only} errors are case-only (accuracy ignoring "
        f"case {1 - (errors - case_only) / count:.2%}).",
        "",
        "## Classes, worst first",
        "",
        "| label | count | errors | accuracy | case-only errors |",
        "|---|---|---|---|---|",
    ]
    worst = sorted(classes, key=lambda c: (c.accuracy, c.label))[:top]
    lines += [
        f"| {c.label} | {c.count} | {c.errors} | {c.accuracy:.2%} | {c.case_only_errors} |"
        for c in worst
    ]
    lines += ["", "## Confusions (label -> prediction)", ""]
    lines += ["| label | prediction | count | case only |", "|---|---|---|---|"]
    lines += [f"| {p.label} | {p.prediction} | {p.count} | {p.case_only} |" for p in pairs[:top]]
    lines += ["", "## Attribute slices, by errors explained if fixed (excess errors)", ""]
    lines += ["| attribute | value | count | errors | error rate | excess |"]
    lines += ["|---|---|---|---|---|---|"]
    lines += [
        f"| {s.attribute} | {s.value} | {s.count} | {s.errors} | {s.error_rate:.2%} | "
        f"{s.excess:+.1f} |"
        for s in slices[:top]
    ]
    if tags is not None:
        lines += _tag_lines(*tags)
    return "\n".join(lines) + "\n"


def _tag_lines(tagged: int, counts: list[TagCount]) -> list[str]:
    lines = ["", f"## Tags on {tagged} hand-tagged errors", ""]
    lines += ["| tag | count | share | estimated errors overall |", "|---|---|---|---|"]
    lines += [f"| {t.tag} | {t.count} | {t.share:.1%} | {t.estimated_errors:.0f} |" for t in counts]
    return lines
