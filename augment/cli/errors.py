"""`augment errors`: where a model's errors are, from its predictions on a dataset folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from augment.analysis.report import ReportOptions, ReportResult, build_report
from augment.cli.common import user_errors


def errors_command(
    predictions: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSONL with file_name, label, prediction (optional score, tag columns)."
        ),
    ],
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="The dataset folder the file names are relative to (manifest.jsonl, "
            "metadata.parquet, metadata.jsonl or labels.csv).",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Report folder (replaced).")],
    sample: Annotated[
        int, typer.Option("--sample", min=0, help="Errors in the sample to look at and tag.")
    ] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the error sample.")] = 0,
    tags: Annotated[
        Path | None,
        typer.Option("--tags", help="A filled errors_to_tag.csv: count the errors per tag."),
    ] = None,
    bins: Annotated[int, typer.Option("--bins", min=2, help="Bins per numeric attribute.")] = 5,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Smallest slice reported.")
    ] = 5,
) -> None:
    """Accuracy per class, confusions, error rate by every recorded attribute, a sample of
    errors to tag by hand, and REPORT/focus.yaml for a focused generation run.

    Examples:

      augment errors preds.csv --data crops/ -o report/

      augment errors preds.csv --data crops/ -o report/ --tags report/errors_to_tag.csv
    """
    options = ReportOptions(sample=sample, seed=seed, bins=bins, min_count=min_count, tags=tags)
    with user_errors():
        result = build_report(predictions, data, out, options)
    _print_result(result, out)


def _print_result(result: ReportResult, out: Path) -> None:
    """The joined count, the top slices and where the report went."""
    rows = result.joined.rows
    print(
        f"{len(rows)} predictions joined with {result.joined.table}: {result.errors} errors "
        f"({result.errors / len(rows):.2%})"
    )
    if result.joined.unmatched:
        print(
            f"warning: {len(result.joined.unmatched)} predicted files are not in the dataset "
            f"and were left out (first: {result.joined.unmatched[0]})"
        )
    for s in [s for s in result.slices if s.excess > 0][:5]:
        print(
            f"  {s.attribute} = {s.value}: {s.errors}/{s.count} wrong, "
            f"{s.excess:+.1f} errors over the overall rate"
        )
    more = ", ..." if len(result.written) > 6 else ""
    print(f"report: {out} ({', '.join(result.written[:6])}{more})")
