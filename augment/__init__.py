"""augsynth's augmentation package: realistic, label-preserving transforms and pipelines.

from augment import build_pipeline, ImageSample, example_rng
pipeline = build_pipeline([{"Rotate": {"degrees": 10}}, {"GridWarp": {}}])
out = pipeline(ImageSample(image), rng=example_rng(seed=0, index=7))
"""

from augment._version import __version__
from augment.calls import AugmentedPairs, Normalize, ToTensor, call_audio, call_image
from augment.core.combinators import Maybe, OneOf, Sequence, SomeOf
from augment.core.errors import AugsynthError, ConfigError, InputError
from augment.core.registry import (
    build_pipeline,
    dump_pipeline,
    dump_pipeline_yaml,
    load_pipeline,
    register,
    registered,
)
from augment.core.sample import AudioSample, ImageSample
from augment.core.seeding import example_rng, example_rngs
from augment.core.transform import Transform
from augment.training import AugmentedDataset

__all__ = [
    "AudioSample",
    "AugmentedDataset",
    "AugmentedPairs",
    "AugsynthError",
    "ConfigError",
    "ImageSample",
    "InputError",
    "Maybe",
    "Normalize",
    "OneOf",
    "Sequence",
    "SomeOf",
    "ToTensor",
    "Transform",
    "__version__",
    "build_pipeline",
    "call_audio",
    "call_image",
    "dump_pipeline",
    "dump_pipeline_yaml",
    "example_rng",
    "example_rngs",
    "load_pipeline",
    "register",
    "registered",
]
