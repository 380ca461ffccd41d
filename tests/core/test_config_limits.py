"""Hostile configs fail on one line naming the file and the problem: no RecursionError, no
hang or memory blow-up on YAML alias bombs, UTF-16/UTF-8-BOM files read, wrong-kind steps
refused before a run would skip every input."""

from __future__ import annotations

import codecs
import json
import time
from pathlib import Path

import pytest

from augment.core.errors import ConfigError
from augment.core.registry import MAX_DEPTH, build_pipeline, load_pipeline

ALIAS_BOMB = """\
a: &a [Rotate, Rotate, Rotate, Rotate, Rotate, Rotate, Rotate, Rotate, Rotate]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
pipeline: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def _one_of_chain(depth: int) -> dict:
    config: dict = {"Rotate": {}}
    for _ in range(depth):
        config = {"OneOf": {"transforms": [config]}}
    return config


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize("depth", [100, 500])
def test_a_deep_config_is_refused_on_one_line_not_a_recursion_error(
    tmp_path: Path, suffix: str, depth: int
):
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"OneOf": {"transforms": [' * depth + '"Rotate"' + "]}}" * depth)
    with pytest.raises(ConfigError, match="nested") as err:
        load_pipeline(path)
    assert str(err.value).startswith(str(path))


def test_a_config_at_the_depth_limit_still_builds():
    build_pipeline(_one_of_chain(MAX_DEPTH // 2 - 1))


def test_a_yaml_alias_bomb_is_refused_quickly_with_a_short_message(tmp_path: Path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    start = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        load_pipeline(path)
    assert time.perf_counter() - start < 5  # 9**9 steps if it were expanded
    message = str(err.value)
    assert str(path) in message and "aliases" in message and len(message) < 300


def test_a_huge_value_in_an_error_is_cut_to_one_short_line():
    with pytest.raises(ConfigError) as err:
        build_pipeline({"Rotate": list(range(5000))})
    assert len(str(err.value)) < 200 and "\n" not in str(err.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_yaml_saved_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str):
    text = "- Rotate: {degrees: 7}\n- Contrast: {}\n"
    path = tmp_path / "p.yaml"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    pipeline = load_pipeline(path)
    assert [type(t).__name__ for t in pipeline.transforms] == ["Rotate", "Contrast"]


def test_json_saved_as_utf_16_is_read(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_bytes(json.dumps([{"Rotate": {"degrees": 3}}]).encode("utf-16"))
    assert type(load_pipeline(path).transforms[0]).__name__ == "Rotate"


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 2_000_000)
    with pytest.raises(ConfigError, match="larger than"):
        load_pipeline(path)


def test_an_audio_step_in_an_image_pipeline_is_refused_with_its_path():
    config = [{"Rotate": {}}, {"Maybe": {"transform": {"Gain": {}}}}]
    with pytest.raises(ConfigError, match=r"pipeline\[1\]\.Maybe\.transform\.Gain: an audio"):
        build_pipeline(config, kind="image")
    with pytest.raises(ConfigError, match=r"pipeline\[0\]\.Rotate: an image"):
        build_pipeline(config, kind="audio")
    build_pipeline(config)  # without a kind both build (a library user may mix on purpose)


def test_a_misspelt_argument_gets_a_suggestion():
    with pytest.raises(ConfigError, match="did you mean degrees"):
        build_pipeline({"Rotate": {"degree": 5}})


def test_a_non_text_step_name_is_refused():
    with pytest.raises(ConfigError, match="step name must be text"):
        build_pipeline([{3: {}}])


def test_a_transform_without_a_constructor_accepts_no_arguments():
    with pytest.raises(ConfigError, match=r"GSM\.args: unknown argument \(accepted: \)"):
        build_pipeline({"GSM": {"args": [1]}})
    build_pipeline({"GSM": {}})
