"""Pipelines from YAML/JSON configs, dumped back, with errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import toys

from augment.core.combinators import Maybe, OneOf, Sequence
from augment.core.errors import ConfigError
from augment.core.registry import build_pipeline, dump_pipeline, load_pipeline, registered
from augment.core.seeding import example_rng

CONFIG = """
pipeline:
  - ToyShift: {amount: 2.0}
  - Maybe:
      p: 0.25
      transform: {ToyScale: {factor: [0.5, 1.5]}}
  - OneOf:
      weights: [1, 3]
      transforms:
        - ToyShift
        - ToyScale: {factor: 2}
"""


def test_yaml_builds_the_described_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(CONFIG)
    pipeline = load_pipeline(path)
    assert isinstance(pipeline, Sequence)
    shift, maybe, one_of = pipeline.transforms
    assert isinstance(shift, toys.ToyShift) and shift.amount == (-2.0, 2.0)
    assert isinstance(maybe, Maybe) and maybe.p == 0.25
    assert maybe.transform.factor == (0.5, 1.5)
    assert isinstance(one_of, OneOf) and one_of.weights == [1.0, 3.0]


def test_dump_round_trips_through_json(tmp_path: Path, gray_sample) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(CONFIG)
    pipeline = load_pipeline(path)
    dumped = json.loads(json.dumps(dump_pipeline(pipeline)))
    rebuilt = build_pipeline(dumped)
    assert dump_pipeline(rebuilt) == dumped
    for i in range(20):
        a = pipeline(gray_sample, example_rng(0, i)).image
        b = rebuilt(gray_sample, example_rng(0, i)).image
        assert np.array_equal(a, b)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ([{"ToyShfit": {}}], "pipeline[0]: unknown transform 'ToyShfit' (did you mean ToyShift?)"),
        ([{"ToyShift": {"amount": "x"}}], "pipeline[0].ToyShift.amount: expected a number"),
        ([{"ToyShift": {"amuont": 1}}], "pipeline[0].ToyShift.amuont: unknown argument"),
        (
            [{"Maybe": {"p": 2, "transform": "ToyShift"}}],
            "pipeline[0].Maybe.p: must be <= 1, got 2",
        ),
        (
            [{"OneOf": {"transforms": [{"ToyScale": {"factor": [2, 1]}}]}}],
            "pipeline[0].OneOf.transforms[0].ToyScale.factor: low 2 is above high 1",
        ),
        ([["ToyShift"], 3], "pipeline[1]: expected {Name: {arguments}}"),
    ],
)
def test_bad_configs_fail_at_build_time_naming_the_field(config, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_pipeline(config)
    assert str(err.value).startswith(message)


def test_a_broken_file_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("pipeline: [ToyShift: {amount: 1}\n")
    with pytest.raises(ConfigError) as err:
        load_pipeline(path)
    assert str(err.value).startswith(f"{path}: not valid yaml")


def test_registry_lists_builtin_combinators() -> None:
    names = registered()
    assert {"Sequence", "OneOf", "SomeOf", "Maybe"} <= set(names)


PLUGIN = '''
from augment.core.registry import register
from augment.core.transform import Transform


@register
class PluginNegate(Transform):
    """Negates the image: a third-party transform."""

    def apply(self, sample, params):
        return sample.replace(image=-sample.image)
'''


def test_plugins_register_through_the_entry_point_group(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "negate_plugin.py").write_text(PLUGIN)
    info = tmp_path / "negate_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: negate-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[augsynth.transforms]\nnegate = negate_plugin\n")
    code = (
        "import numpy as np; from augment import build_pipeline, ImageSample;"
        "p = build_pipeline([{'PluginNegate': {}}]);"
        "print(p(ImageSample(np.ones((1, 1)))).image[0, 0])"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-1.0"


def test_a_transform_still_defining_sample_params_is_refused_at_class_creation():
    from augment.core.transform import Transform

    with pytest.raises(TypeError, match="renamed draw_params"):

        class Old(Transform):
            def sample_params(self, rng, sample):
                return {}


def test_dump_pipeline_yaml_is_text_that_load_pipeline_reads_back(tmp_path):
    from augment import build_pipeline, dump_pipeline, dump_pipeline_yaml, load_pipeline

    pipeline = build_pipeline(
        [{"Rotate": {"degrees": 7}}, {"Maybe": {"p": 0.3, "transform": {"Mirror": {}}}}]
    )
    text = dump_pipeline_yaml(pipeline)
    assert isinstance(text, str) and text.startswith("- Rotate:")
    path = tmp_path / "p.yaml"
    path.write_text(text)
    assert dump_pipeline(load_pipeline(path)) == dump_pipeline(pipeline)
