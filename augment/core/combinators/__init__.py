"""Combinators: Sequence, OneOf, SomeOf and Maybe, one module each, with exact probabilities.

Each records its decisions in its params, so a recorded example replays exactly, and
batches itself next to its `apply`. A module added to this package is imported with it,
so a new combinator is one file: its class, registered with `@register`.
"""

from importlib import import_module
from pkgutil import iter_modules

from augment.core.combinators.maybe import Maybe
from augment.core.combinators.one_of import OneOf
from augment.core.combinators.sequence import Sequence
from augment.core.combinators.some_of import SomeOf


def _import_modules() -> None:
    """Import every module of the package, so a combinator in a new file registers itself."""
    for module in iter_modules(__path__):
        import_module(f"{__name__}.{module.name}")


_import_modules()

__all__ = ["Maybe", "OneOf", "Sequence", "SomeOf"]
