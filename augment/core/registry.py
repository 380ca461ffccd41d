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
# Limits on a config, so a hostile file fails with one line instead of exhausting the
# stack or memory: nesting depth, steps after YAML aliases are expanded, and file size.
MAX_DEPTH = 64
MAX_NODES = 10_000
MAX_CONFIG_BYTES = 1_000_000
KINDS = ("image", "audio")

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


def build_pipeline(config: Any, where: str = "pipeline", kind: str | None = None) -> Transform:
    """Build a transform from a parsed config; errors name the field path.

    With `kind` ("image" or "audio"), a step of the other kind is refused here, before a
    run would skip every input with it.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind: expected one of {KINDS}, got {kind!r}")
    _check_size(config, where)
    return _build(config, where, kind, depth=0)


def _build(config: Any, where: str, kind: str | None, depth: int) -> Transform:
    from augment.core.combinators import Sequence

    if depth > MAX_DEPTH:
        raise ConfigError(where, f"nested deeper than {MAX_DEPTH} steps")
    if isinstance(config, dict) and set(config) == {"pipeline"}:
        config = config["pipeline"]
    if isinstance(config, list):
        return Sequence([_build(c, f"{where}[{i}]", kind, depth + 1) for i, c in enumerate(config)])
    if isinstance(config, str):
        config = {config: {}}
    if not isinstance(config, dict) or len(config) != 1:
        raise ConfigError(where, f"expected {{Name: {{arguments}}}}, got {_short(config)}")
    ((name, kwargs),) = config.items()
    if not isinstance(name, str):
        raise ConfigError(where, f"a step name must be text, got {_short(name)}")
    cls = get_transform_class(name, where)
    here = f"{where}.{name}"
    if kind is not None and cls.kind not in (kind, "any"):
        raise ConfigError(here, f"an {cls.kind} transform in an {kind} pipeline")
    built = _arguments(cls, here, {} if kwargs is None else kwargs)
    for key in cls.nested_arguments:
        if key in built:
            built[key] = _build_nested(key, built[key], f"{here}.{key}", kind, depth)
    try:
        return cls(**built)
    except ConfigError as err:
        raise err.under(here) from None
    except TypeError as err:
        raise ConfigError(here, str(err)) from None


def _arguments(cls: type[Transform], here: str, kwargs: Any) -> dict[str, Any]:
    """The step's arguments, each one a constructor parameter of `cls`."""
    if not isinstance(kwargs, dict):
        raise ConfigError(here, f"arguments must be a mapping, got {_short(kwargs)}")
    accepted = constructor_parameters(cls)
    for key in kwargs:
        if key not in accepted:
            hint = difflib.get_close_matches(str(key), accepted, n=1)
            did_you_mean = f"did you mean {hint[0]}? " if hint else ""
            raise ConfigError(
                f"{here}.{key}", f"unknown argument ({did_you_mean}accepted: {', '.join(accepted)})"
            )
    return dict(kwargs)


def constructor_parameters(cls: type[Transform]) -> list[str]:
    """The names a config may give `cls` (a class with no constructor of its own takes none)."""
    if cls.__init__ is object.__init__:
        return []
    parameters = inspect.signature(cls.__init__).parameters.values()
    return [
        p.name
        for p in parameters
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _build_nested(key: str, value: Any, here: str, kind: str | None, depth: int) -> Any:
    """Nested steps: a list under `transforms`, one step under `transform`."""
    if key == "transforms":
        if not isinstance(value, list):
            raise ConfigError(here, "expected a list of steps")
        return [_build(v, f"{here}[{i}]", kind, depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict | str):
        return _build(value, here, kind, depth + 1)
    return value


def _check_size(config: Any, where: str) -> None:
    """Refuse a config whose expanded tree is too deep or too large (e.g. a YAML alias bomb,
    where a few lines of anchors stand for billions of nodes), without expanding it."""
    budget = MAX_NODES
    stack: list[tuple[Any, int]] = [(config, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise ConfigError(where, f"more than {MAX_NODES} values (YAML aliases expanded)")
        if depth > 4 * MAX_DEPTH:
            raise ConfigError(where, f"nested deeper than {4 * MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for pair in node.items() for v in pair)
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _short(value: Any, limit: int = 80) -> str:
    """A repr cut to one short line, so an error message never prints a huge value."""
    text = repr(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dump_pipeline(transform: Transform) -> Any:
    """The config that rebuilds `transform` (a top-level Sequence dumps as a list)."""
    from augment.core.combinators import Sequence

    if type(transform) is Sequence:
        return [dump_pipeline(t) for t in transform.transforms]
    return {type(transform).__name__: _dump_arguments(transform)}


def dump_pipeline_yaml(transform: Transform) -> str:
    """The config of `transform` as YAML text, the form `--config` and `load_pipeline` read."""
    return yaml.safe_dump(dump_pipeline(transform), sort_keys=False, allow_unicode=True)


def _dump_arguments(transform: Transform) -> dict[str, Any]:
    config = transform.get_config()
    for key in transform.nested_arguments:
        if key in config:
            value = getattr(transform, key)
            config[key] = (
                [dump_pipeline(t) for t in value] if key == "transforms" else dump_pipeline(value)
            )
    return config


def load_pipeline(path: str | Path, kind: str | None = None) -> Transform:
    """Build a pipeline from a .yaml/.yml/.json file (of `kind`'s transforms, if given)."""
    path = Path(path)
    config = read_config_file(path)
    try:
        return build_pipeline(config, kind=kind)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err.field}", err.message) from None


def read_config_file(path: Path) -> Any:
    """A YAML or JSON file parsed. Bytes go to the parser, which reads the encoding from a
    byte-order mark (UTF-8, UTF-16 and, for JSON, UTF-32: what editors on Windows save)."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(str(path), f"larger than {MAX_CONFIG_BYTES} bytes; not a config?")
        data = path.read_bytes()
    except OSError as err:
        raise ConfigError(str(path), f"cannot read: {err.strerror}") from None
    try:
        return json.loads(data) if path.suffix.lower() == ".json" else yaml.safe_load(data)
    except RecursionError:  # the parsers recurse per level of nesting
        raise ConfigError(str(path), "nested too deeply to be a pipeline config") from None
    except (ValueError, yaml.YAMLError) as err:
        first_line = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ConfigError(
            str(path), f"not valid {path.suffix[1:] or 'YAML'}: {first_line}"
        ) from None
