"""`augment compare`: how far generated images or audio are from a real target set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from augment.cli.common import user_errors

SHOWN_STATISTICS = 8
SHOWN_CLASSES = 5


def compare_command(
    generated: Annotated[Path, typer.Argument(help="Folder of generated images or audio.")],
    real: Annotated[Path, typer.Argument(help="Folder of real images or audio (the target).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write OUT/compare.png and OUT/compare.json."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=2, help="Crops or audio segments drawn per set.")
    ] = 2000,
    segment: Annotated[
        float, typer.Option("--segment", min=0.1, help="Audio segment length, seconds.")
    ] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the subsample and folds.")] = 0,
) -> None:
    """Print auc=0.xx, the cross-validated AUC of a classifier telling the two sets apart on
    fixed statistics (0.5 = indistinguishable, 1.0 = always told apart), then each
    statistic's distance (Wasserstein, in real standard deviations) and the farthest classes.

    Crops: intensity, contrast, range, colourfulness, sharpness, noise, ink contrast, ink
    fraction, glyph size and position (Otsu ink mask, crops resized to 32x32). Audio (mono,
    16 kHz, cut into --segment pieces): level, 1/3-octave spectrum shape, level fluctuation.

    Examples:

      augment compare crops/ real_crops/ -o compare/

      augment compare noisy_speech/ real_speech/ --segment 0.5
    """
    # imported here: the audio features load scipy.signal, which `augment --help` never needs
    from augment.analysis.compare import CompareOptions, compare_folders
    from augment.analysis.compare_sheet import compare_png

    options = CompareOptions(limit=limit, seed=seed, segment_seconds=segment)
    with user_errors():
        comparison, generated_set, real_set = compare_folders(generated, real, options)
    print(f"auc={comparison.auc:.2f}")
    print(f"{comparison.kind}: {comparison.generated} generated vs {comparison.real} real rows")
    for d in comparison.statistics[:SHOWN_STATISTICS]:
        print(
            f"  {d.name:<20} real {d.real_mean:9.3g}  generated {d.generated_mean:9.3g}  "
            f"distance {d.distance:.2f}"
        )
    for c in comparison.classes[:SHOWN_CLASSES]:
        print(f"  class {c.label!r}: mean distance {c.mean_distance:.2f} (worst: {c.worst})")
    for message in comparison.skipped[:5]:
        print(f"skipped: {message}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        compare_png(comparison, generated_set, real_set, seed).save(out / "compare.png")
        (out / "compare.json").write_text(comparison.to_json(), encoding="utf-8")
        print(f"wrote {out / 'compare.png'} and {out / 'compare.json'}")
