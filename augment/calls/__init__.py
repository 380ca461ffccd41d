"""Familiar calling conventions over the same pipelines (same draws, same replay).

- `call_image(pipeline, image=..., bboxes=..., bbox_format="yolo", class_labels=...)`: the
  albumentations-style dict call, for PIL, NumPy and torch images, in every box format;
- `call_audio(pipeline, samples=..., sample_rate=...)`: the audiomentations-style call;
- `AugmentedPairs(dataset, pipeline, seed=..., output=[ToTensor(), Normalize(...)])`: the
  torchvision-style dataset wrapper for `(image, label)` items.
"""

from augment.calls.audio_call import call_audio
from augment.calls.errors import CallError
from augment.calls.image_call import call_image, replay_image
from augment.calls.pairs import AugmentedPairs
from augment.calls.tensors import Normalize, ToTensor

__all__ = [
    "AugmentedPairs",
    "CallError",
    "Normalize",
    "ToTensor",
    "call_audio",
    "call_image",
    "replay_image",
]
