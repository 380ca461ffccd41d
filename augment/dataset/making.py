"""Making examples: the chunk's examples from a maker, placed by the layout, and the
manifest row of each.

Shared by every dataset layout, and run in the workers. Example i is always made with the
generator from (seed, i), so what a run writes does not depend on the worker count, the
chunking or a resume.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from augment.core.errors import AugsynthError
from augment.core.seeding import example_rng, example_rngs
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.pool import Chunk

Placed = TypeVar("Placed")


def place_examples(
    maker: ExampleMaker,
    seed: int,
    chunk: Chunk,
    place: Callable[[int, Example], Placed],
    failed: Callable[[dict[str, Any]], Placed],
) -> list[Placed]:
    """Make a chunk and hand each example to `place` (which writes or encodes it, for its
    layout); an example that failed, or that `place` refuses with an AugsynthError (e.g. a
    label no folder can be named after), becomes `failed({"index": i, "error": message})`."""
    placed = []
    for (index, _), example in zip(chunk, make_examples(maker, seed, chunk), strict=True):
        if not isinstance(example, str):
            try:
                placed.append(place(index, example))
                continue
            except AugsynthError as err:
                example = str(err)
        placed.append(failed({"index": index, "error": example}))
    return placed


def make_examples(maker: ExampleMaker, seed: int, chunk: Chunk) -> list[Example | str]:
    """The chunk's examples, or an error message in place of each one that failed.

    A maker with `make_batch(tasks, rngs)` makes the chunk in one call (same bytes as one by
    one); if that call fails, the chunk is redone one by one so only the bad input is lost.
    """
    make_batch = getattr(maker, "make_batch", None)
    if make_batch is not None:
        try:
            return make_batch([t for _, t in chunk], example_rngs(seed, [i for i, _ in chunk]))
        except Exception:  # redone one by one below, which reports the bad input alone
            pass
    results: list[Example | str] = []
    for index, task in chunk:
        try:
            results.append(maker.make(task, example_rng(seed, index)))
        except AugsynthError as err:
            results.append(str(err))
        except Exception as err:  # a long run reports an unexpected failure and goes on
            where = task.get("source", f"example {index}")
            results.append(f"{where}: {type(err).__name__}: {err}")
    return results


def manifest_row(
    index: int, location: dict[str, str], example: Example, seed: int
) -> dict[str, Any]:
    """Where an example went and how it was made; its columns never overwrite those fields.

    Our input's name is `source_file`, so a user's own `source` column keeps its name; an
    example made from no input (a synthetic crop) has none."""
    row: dict[str, Any] = {"index": index, **location, "label": example.label}
    if example.source is not None:
        row["source_file"] = example.source
    row |= {"seed": seed, "params": example.params}
    for key, value in example.columns.items():
        row[f"input_{key}" if key in row or key == "file_name" else key] = value
    return row
