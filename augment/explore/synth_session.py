"""`synth explore`: the explorer over synth's renderer, where the rows are characters.

The crops shown are the ones `synth ocr -o OUT --config synth.yaml --charset C --size S
--per-class N --seed S` writes: task k * len(charset) + c is copy k of character c (classes
interleaved, as `balanced_tasks` lists them), made by the command's own OcrCropMaker with the
generator example_rng(seed, task). The page edits the `render:` options beside the `augment:`
pipeline and exports both as synth.yaml.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from augment.core.errors import ConfigError
from augment.core.registry import build_pipeline
from augment.core.seeding import example_rngs
from augment.explore.controls import controls
from augment.explore.session import as_step_list, check_seed_and_copies, spread

FIXED_OPTIONS = ("size",)  # set by --size on the command line, not by synth.yaml


@dataclass
class SynthSession:
    """The charset (as given, and resolved), fonts and size of a `synth ocr` run, and the
    characters shown (their positions in the charset)."""

    charset_spec: str
    charset: str
    fonts: Path | None
    size: tuple[int, int]
    pipeline: list[Any]
    render_options: dict[str, Any]
    shown: list[int]
    kind: str = "synth"

    def info(self) -> dict[str, Any]:
        from synth.run.options import RenderOptions

        defaults = RenderOptions().to_dict()
        fonts = f" --fonts {self.fonts}" if self.fonts is not None else ""
        charset = _quoted(self.charset_spec)
        return {
            "kind": self.kind,
            "in_dir": f"synth ocr, charset {self.charset!r}",
            "inputs": [
                {"index": c, "name": self.charset[c], "label": self.charset[c], "path": None}
                for c in self.shown
            ],
            "pipeline": self.pipeline,
            "render": self.render_options,
            "render_controls": [
                c for c in controls(RenderOptions, defaults) if c["name"] not in FIXED_OPTIONS
            ],
            "command": f"synth ocr -o OUT --config synth.yaml --charset {charset}"
            f" --size {self.size[0]}x{self.size[1]}{fonts} --per-class {{copies}} --seed {{seed}}",
        }

    def render(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        """Copies 0..copies-1 of every shown character, as `synth ocr` makes them."""
        seed, copies = check_seed_and_copies(request.get("seed"), request.get("copies"))
        maker, tasks = self._maker(request, copies)
        count = len(self.charset)
        chosen = [(c, k, k * count + c) for c in self.shown for k in range(copies)]
        indices = [task for _, _, task in chosen]
        examples = maker.make_batch([tasks[i] for i in indices], example_rngs(seed, indices))
        return [
            {
                "input": c,
                "copy": k,
                "task": task,
                "params": example.params,
                "image": "data:image/png;base64," + base64.b64encode(example.data).decode(),
            }
            for (c, k, task), example in zip(chosen, examples, strict=True)
        ]

    def export(self, request: dict[str, Any]) -> dict[str, str]:
        """synth.yaml: the render options that differ from the defaults, and the pipeline."""
        from synth.run.options import RenderOptions

        options = self._options(request.get("render"))
        defaults = RenderOptions().to_dict()
        changed = {
            k: v for k, v in options.items() if k not in FIXED_OPTIONS and v != defaults.get(k)
        }
        pipeline = as_step_list(build_pipeline(request.get("pipeline")))
        config = {"render": changed, "augment": pipeline} if changed else {"augment": pipeline}
        return {"yaml": yaml.safe_dump(config, sort_keys=False, default_flow_style=None)}

    def load(self, text: str) -> dict[str, Any]:
        try:
            config = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            raise ConfigError("yaml", f"not valid YAML: {str(err).splitlines()[0]}") from None
        if not isinstance(config, dict) or set(config) - {"render", "augment"}:
            raise ConfigError("yaml", "expected a synth.yaml mapping with render and augment")
        from synth.run.config import augment_config

        pipeline = as_step_list(build_pipeline(augment_config(config.get("augment"))))
        return {"pipeline": pipeline, "render": self._options(config.get("render"))}

    def _options(self, render: Any) -> dict[str, Any]:
        from synth.run.options import RenderOptions

        if render is not None and not isinstance(render, dict):
            raise ConfigError("render", "expected a mapping of render options")
        try:
            return RenderOptions.from_dict(render, size=self.size).to_dict()
        except ConfigError as err:
            raise err.under("render") from None

    def _maker(self, request: dict[str, Any], copies: int) -> tuple[Any, Sequence[dict]]:
        """synth ocr's maker for these settings, and its task list for `copies` per class."""
        from synth.maker import OcrCropMaker
        from synth.run.plan import balanced_tasks

        options = self._options(request.get("render"))
        pipeline = as_step_list(build_pipeline(request.get("pipeline")))
        font_set = _font_set(self.fonts, self.charset)
        neighbour_fonts = _font_set(self.fonts, options["neighbours"])
        maker = OcrCropMaker(
            fonts_root=str(font_set.root),
            options=options,
            augment=pipeline,
            neighbours=neighbour_fonts.coverage,
        )
        return maker, balanced_tasks(self.charset, font_set, copies)


_FONT_SETS: dict[tuple[str, str], Any] = {}


def _font_set(fonts: Path | None, chars: str) -> Any:
    """FontSet.load, kept per (fonts, characters): it reads every font file."""
    from synth.fonts.fontset import FontSet

    key = (str(fonts), chars)
    if key not in _FONT_SETS:
        _FONT_SETS[key] = FontSet.load(fonts, chars)
    return _FONT_SETS[key]


def _quoted(text: str) -> str:
    return text if text.isalnum() else "'" + text.replace("'", "'\\''") + "'"


def open_synth_session(
    charset: str, fonts: Path | None, size: tuple[int, int], config: Path | None, max_rows: int
) -> SynthSession:
    """The session for `synth explore`: ConfigError/AugsynthError for a bad charset or config."""
    from synth.run.charset import resolve_charset
    from synth.run.config import augment_config, read_config
    from synth.run.options import RenderOptions

    chars = resolve_charset(charset)
    settings = read_config(config) if config else {}
    _font_set(fonts, chars).require(chars)
    options = RenderOptions.from_dict(settings.get("render"), size=size).to_dict()
    pipeline = as_step_list(build_pipeline(augment_config(settings.get("augment"))))
    shown = spread(len(chars), max_rows)
    return SynthSession(charset, chars, fonts, size, pipeline, options, shown)
