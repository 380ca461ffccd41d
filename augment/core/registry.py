"""Name -> transform class, so pipelines are built from YAML/JSON configs and dumped back.

A config is a list of steps (a Sequence) or one step; a step is a one-key mapping
`{Name: {argument: value}}` (or a bare `Name` for all defaults). The arguments a class
lists in `nested_arguments` (by default `transform` and `transforms`) hold nested steps.
Third-party transforms register through the entry-point group `augsynth.transforms`.
"""

from __future__ import annotations

import difflib
import inspect
import json
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import yaml

from augment.core.errors import ConfigError
from augment.core.transform import Transform

ENTRY_POINT_GROUP = "augsynth.transforms"

T = TypeVar("T", bound=type[Transform])
_REGISTRY: dict[str, type[Transform]] = {}


def register(cls: T) -> T:
    """Class decorator: make a transform buildable from configs under its class name."""
    name = cls.__name__
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not cls:
        raise ValueError(f"two transforms are named {name}: {existing} and {cls}")
    _REGISTRY[name] = cls
    return cls


# Imported on demand, cheapest first, so an image pipeline never pays for the audio stack.
_BUILTIN_MODULES = [
    "augment.core.combinators",
    "augment.images",
    "augment.adapters.albumentations",
    "augment.audio",
]
_plugins_loaded = False


def _load_more() -> bool:
    """Import the next built-in package, then the plugins; False once everything is loaded."""
    global _plugins_loaded
    if _BUILTIN_MODULES:
        import_module(_BUILTIN_MODULES.pop(0))
        return True
    if not _plugins_loaded:
        _plugins_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            ep.load()
        return True
    return False


def registered() -> dict[str, type[Transform]]:
    """Every known transform by name."""
    while _load_more():
        pass
    return dict(sorted(_REGISTRY.items()))


def get_transform_class(name: str, where: str = "pipeline") -> type[Transform]:
    while name not in _REGISTRY and _load_more():
        pass
    if name in _REGISTRY:
        return _REGISTRY[name]
    close = difflib.get_close_matches(name, list(_REGISTRY), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise ConfigError(where, f"unknown transform {name!r}{hint}")


def build_pipeline(config: Any, where: str = "pipeline") -> Transform:
    """Build a transform from a parsed config; errors name the field path."""
    from augment.core.combinators import Sequence

    if isinstance(config, dict) and set(config) == {"pipeline"}:
        config = config["pipeline"]
    if isinstance(config, list):
        steps = [build_pipeline(item, f"{where}[{i}]") for i, item in enumerate(config)]
        return Sequence(steps)
    if isinstance(config, str):
        config = {config: {}}
    if not isinstance(config, dict) or len(config) != 1:
        raise ConfigError(where, f"expected {{Name: {{arguments}}}}, got {config!r}")
    ((name, kwargs),) = config.items()
    cls = get_transform_class(name, where)
    here = f"{where}.{name}"
    kwargs = {} if kwargs is None else kwargs
    if not isinstance(kwargs, dict):
        raise ConfigError(here, f"arguments must be a mapping, got {kwargs!r}")
    accepted = [n for n in inspect.signature(cls.__init__).parameters if n != "self"]
    for key in kwargs:
        if key not in accepted:
            raise ConfigError(
                f"{here}.{key}", f"unknown argument (accepted: {', '.join(accepted)})"
            )
    built = dict(kwargs)
    for key in cls.nested_arguments:
        if key not in built:
            continue
        value = built[key]
        if key == "transforms":
            if not isinstance(value, list):
                raise ConfigError(f"{here}.{key}", "expected a list of steps")
            built[key] = [build_pipeline(v, f"{here}.{key}[{i}]") for i, v in enumerate(value)]
        elif isinstance(value, dict | str):
            built[key] = build_pipeline(value, f"{here}.{key}")
    try:
        return cls(**built)
    except ConfigError as err:
        raise err.under(here) from None
    except TypeError as err:
        raise ConfigError(here, str(err)) from None


def dump_pipeline(transform: Transform) -> Any:
    """The config that rebuilds `transform` (a top-level Sequence dumps as a list)."""
    from augment.core.combinators import Sequence

    if type(transform) is Sequence:
        return [dump_pipeline(t) for t in transform.transforms]
    return {type(transform).__name__: _dump_arguments(transform)}


def _dump_arguments(transform: Transform) -> dict[str, Any]:
    config = transform.get_config()
    for key in transform.nested_arguments:
        if key in config:
            value = getattr(transform, key)
            config[key] = (
                [dump_pipeline(t) for t in value] if key == "transforms" else dump_pipeline(value)
            )
    return config


def load_pipeline(path: str | Path) -> Transform:
    """Build a pipeline from a .yaml/.yml/.json file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(str(path), f"cannot read: {err.strerror}") from None
    try:
        config = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as err:
        first_line = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ConfigError(
            str(path), f"not valid {path.suffix[1:] or 'YAML'}: {first_line}"
        ) from None
    try:
        return build_pipeline(config)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err.field}", err.message) from None
