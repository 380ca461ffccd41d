"""Which transforms a draw applied, by name, with their params: what a caption talks about.

A manifest row's params name only the steps of a Sequence; inside Maybe, OneOf and SomeOf
they record decisions (applied, choice, chosen) by position. Walking the pipeline beside
the params names every step that ran and leaves out the ones that did not.
"""

from __future__ import annotations

from typing import Any

from augment.core.combinators import Maybe, OneOf, SomeOf
from augment.core.combinators import Sequence as Steps
from augment.core.transform import Transform

Step = tuple[str, Any]  # (transform class name, its params)


def applied_steps(transform: Transform, params: Any) -> list[Step]:
    """The leaf transforms that ran, in order, each with the params it drew."""
    if isinstance(transform, Steps):
        records = params["steps"]
        return [
            step
            for child, record in zip(transform.transforms, records, strict=True)
            for step in applied_steps(child, next(iter(record.values())))
        ]
    if isinstance(transform, Maybe):
        return applied_steps(transform.transform, params["params"]) if params["applied"] else []
    if isinstance(transform, OneOf):
        return applied_steps(transform.transforms[params["choice"]], params["params"])
    if isinstance(transform, SomeOf):
        chosen = zip(params["chosen"], params["params"], strict=True)
        return [s for i, p in chosen for s in applied_steps(transform.transforms[i], p)]
    return [(type(transform).__name__, params)]
