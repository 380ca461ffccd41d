"""The transform contract: a random draw separated from a pure application.

`draw_params(rng, sample)` returns plain JSON-able values and `apply(sample, params)` is a
pure function of them. That split gives replay, provenance in manifests, thread safety and
batching. Nothing is stored on `self` but the constructor arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import numpy as np

from augment.core.seeding import implicit_rng

S = TypeVar("S")
Params = dict[str, Any]
Fuser = Callable[[Any, list[tuple["Transform", Params]]], Any]

_FUSERS: dict[str, Fuser] = {}


def register_fuser(key: str, fuser: Fuser) -> None:
    """Declare how a run of consecutive transforms sharing `key` is applied in one pass."""
    _FUSERS[key] = fuser


def get_fuser(key: str) -> Fuser:
    return _FUSERS[key]


class Transform:
    """Base class of every transform and combinator.

    Subclasses implement `draw_params` and `apply`; combinators override `run`.
    Constructor arguments are stored on attributes of the same name (scikit-learn style),
    which is what `get_config` reads back for serialisation.
    """

    kind: ClassVar[str] = "any"
    fusion_key: ClassVar[str | None] = None
    # constructor arguments that hold nested steps in a config (built and dumped recursively)
    nested_arguments: ClassVar[tuple[str, ...]] = ("transform", "transforms")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "sample_params" in vars(cls):  # the 0.1 name: it would silently never be called
            raise TypeError(
                f"{cls.__name__}.sample_params: renamed draw_params in augsynth 0.2 "
                '("sample" now means only a data item); rename the method'
            )

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        """Draw this call's parameters. The default draws nothing."""
        return {}

    def apply(self, sample: S, params: Params) -> S:
        """Apply with given parameters: pure, no randomness."""
        raise NotImplementedError(f"{type(self).__name__}.apply")

    def run(self, sample: S, rng: np.random.Generator) -> tuple[S, Params]:
        """Draw and apply; returns the result and the parameters that reproduce it."""
        params = self.draw_params(rng, sample)
        return self.apply(sample, params), params

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        """The leaf steps a fuser applies for these params (combinators flatten)."""
        return [(self, params)]

    def __call__(self, sample: S, rng: np.random.Generator | None = None) -> S:
        return self.run(sample, rng if rng is not None else implicit_rng())[0]

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, read back from the attributes of the same name."""
        names = [
            name
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        return {name: _plain(getattr(self, name)) for name in names}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _plain(value: Any) -> Any:
    """Tuples become lists so configs compare equal after a YAML/JSON round trip."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value
