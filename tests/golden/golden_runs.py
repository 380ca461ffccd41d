"""The runs the golden-digest test repeats, and how their outputs are digested.

Each run is a command line of `synth` or `augment` (or a library call) on small,
deterministic inputs made here. Every file a run writes is digested (sha256); text that
names the temporary folder is normalised, and a WebDataset shard is digested member by
member (name and normalised bytes), because absolute input paths inside it vary in length;
a Parquet file is digested by its schema and rows, as its footer names the pyarrow version.
`python tests/golden/record.py` writes `digests.json` from the current code: do that only
when a change is meant to change outputs, and say so in CHANGELOG.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from augment.assets import asset_dir

DIGESTS = Path(__file__).with_name("digests.json")

IMAGE_CONFIG = """\
- OneOf:
    weights: [2, 1]
    transforms:
      - Rotate: {degrees: 12}
      - Sequence:
          transforms:
            - Shear: {x: 8}
            - Perspective: {}
- Maybe: {p: 0.5, transform: {GridWarp: {}}}
- Maybe: {p: 0.4, transform: {Elastic: {}}}
- SomeOf:
    n: [0, 2]
    transforms:
      - Blur: {}
      - Contrast: {factor: [0.6, 1.4]}
      - Noise: {}
- OneOf:
    transforms:
      - Brightness: {}
      - Gamma: {}
      - Lighting: {}
      - JpegCompression: {}
      - LowResolution: {}
- Maybe: {p: 0.5, transform: {Mirror: {label_map: {b: d, d: b}}}}
"""

AUDIO_CONFIG = """\
- Maybe: {p: 0.7, transform: {BackgroundNoise: {noise: [street, cafe], snr_db: [0, 15]}}}
- Maybe: {p: 0.5, transform: {Reverb: {}}}
- OneOf:
    transforms:
      - TelephoneBand: {}
      - G711: {}
      - Gain: {}
"""

SYNTH_CONFIG = """\
render:
  p_neighbour: 0.9
augment: scan
"""

Run = tuple[str, list[str]]


def make_inputs(root: Path) -> None:
    """Class folders of letter-like images: grey 32 px, RGB 40 px, RGBA and a 160 px RGB
    image (above the batch path's stacking limit), and config files."""
    rng = np.random.default_rng(1234)
    folders = root / "images"
    for label in ("b", "d", "K"):
        for i in range(2):
            grey = np.full((32, 32), 230, np.uint8)
            grey[6:26, 10 + 3 * i : 16 + 3 * i] = 20 + 10 * i
            grey[18:24, 8:24] = 40
            _save(folders / label / f"grey{i}.png", grey)
        rgb = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
        rgb[8:32, 16:24] = (10, 20, 200)
        _save(folders / label / "rgb.png", rgb)
    rgba = np.dstack([rng.integers(0, 256, (28, 28, 3), dtype=np.uint8),
                      np.full((28, 28), 200, np.uint8)])  # fmt: skip
    _save(folders / "d" / "rgba.png", rgba)
    large = np.zeros((160, 160, 3), np.uint8)
    large[40:120, 60:100] = (240, 240, 30)
    _save(folders / "K" / "large.png", large)
    (root / "image.yaml").write_text(IMAGE_CONFIG)
    (root / "audio.yaml").write_text(AUDIO_CONFIG)
    (root / "synth.yaml").write_text(SYNTH_CONFIG)


def _save(path: Path, image: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)


def runs(root: Path) -> list[Run]:
    """(name, argv) of each command run, the first word naming the program."""
    speech = str(asset_dir("examples") / "speech")
    r = str(root)
    return [
        ("synth_files", ["synth", "ocr", "-o", f"{r}/synth_files", "--charset", "digits+K+b",
                         "--per-class", "3", "--seed", "0", "--preview", "8"]),
        ("synth_shards_w2", ["synth", "ocr", "-o", f"{r}/synth_shards_w2", "--charset", "alnum",
                             "--per-class", "1", "--size", "24x20", "--seed", "7", "--workers", "2",
                             "--shards", "20"]),
        ("synth_config", ["synth", "ocr", "-o", f"{r}/synth_config", "--charset", "upper",
                          "--per-class", "1", "--config", f"{r}/synth.yaml", "--seed", "3"]),
        ("images_default", ["augment", "images", f"{r}/synth_files", "-o", f"{r}/images_default",
                            "-n", "2", "--seed", "0", "--preview", "4"]),
        ("images_flags_w2", ["augment", "images", f"{r}/images", "-o", f"{r}/images_flags_w2",
                             "--warp", "--rotate", "10", "--scale", "0.9:1.1", "--contrast",
                             "0.6:1.4", "-n", "3", "--seed", "3", "--workers", "2"]),
        ("images_preset", ["augment", "images", f"{r}/images", "-o", f"{r}/images_preset",
                           "--preset", "photo-chars", "-n", "3", "--seed", "2"]),
        ("images_config", ["augment", "images", f"{r}/images", "-o", f"{r}/images_config",
                           "--config", f"{r}/image.yaml", "-n", "4", "--seed", "5",
                           "--preview", "3"]),
        ("images_config_shards_w2", ["augment", "images", f"{r}/images", "-o",
                                     f"{r}/images_config_shards_w2", "--config",
                                     f"{r}/image.yaml", "-n", "4", "--seed", "5", "--workers",
                                     "2", "--shards", "7", "--format", "jpg"]),
        ("audio_phone", ["augment", "audio", speech, "-o", f"{r}/audio_phone", "--noise",
                         "crowd,car", "--snr", "0:20", "--phone", "-n", "2", "--seed", "0",
                         "--preview", "2"]),
        ("audio_config_shards_w2", ["augment", "audio", speech, "-o",
                                    f"{r}/audio_config_shards_w2", "--config",
                                    f"{r}/audio.yaml", "-n", "2", "--seed", "9", "--workers", "2",
                                    "--shards", "2", "--format", "wav"]),
    ]  # fmt: skip


def library_outputs() -> dict[str, bytes]:
    """Bytes made by library calls that no command covers on their own: the batch path on
    mixed lists, and the in-memory synthetic dataset."""
    from augment import build_pipeline, example_rngs
    from augment.core.sample import ImageSample
    from augment.images.augment_list import augment_samples
    from synth import SynthCharDataset

    rng = np.random.default_rng(99)
    samples = [
        ImageSample(rng.integers(0, 256, (24, 24), dtype=np.uint8), label="b"),
        ImageSample(rng.random((24, 24, 3), dtype=np.float32), label="d"),
        ImageSample(rng.integers(0, 256, (24, 24, 4), dtype=np.uint8), label="x"),
        ImageSample(rng.integers(0, 256, (24, 24), dtype=np.uint8), label="d"),
    ] * 3
    import yaml

    pipeline = build_pipeline(yaml.safe_load(IMAGE_CONFIG))
    augmented = augment_samples(pipeline, samples, example_rngs(11, range(len(samples))))
    batch = b"".join(out.image.tobytes() + str(out.label).encode() for out, _ in augmented)
    dataset = SynthCharDataset("0aB", per_class=3, seed=4)
    crops = b"".join(np.asarray(dataset[i][0]).tobytes() for i in range(len(dataset)))
    items = dataset.__getitems__(list(range(len(dataset))))
    batched = b"".join(np.asarray(image).tobytes() for image, _ in items)
    return {"library/augment_samples": batch, "library/synth_items": crops,
            "library/synth_getitems": batched}  # fmt: skip


def digest_tree(out: Path, root: Path) -> dict[str, str]:
    """sha256 of every file under `out`, keyed by its path relative to `root`."""
    return {
        str(path.relative_to(root)): _sha(_normalised(path, root))
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def _normalised(path: Path, root: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".tar":
        members = []
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar:
                content = tar.extractfile(member).read()
                members.append(member.name.encode() + b"\0" + _replace_root(content, root))
        return b"\0\0".join(members)
    if path.suffix == ".parquet":  # its footer names the pyarrow version: digest the content
        data = _parquet_content(path)
    if path.name == "run.json":  # the tasks' digest covers absolute input paths
        record = json.loads(data)
        record["tasks_sha256"] = "<tasks>" if "tasks_sha256" in record else None
        data = json.dumps(record, sort_keys=True).encode()
    text = (".json", ".jsonl", ".txt", ".parquet")
    return _replace_root(data, root) if path.suffix in text else data


def _parquet_content(path: Path) -> bytes:
    """A Parquet file's schema (field types and metadata) and rows, as canonical JSON."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    fields = [[field.name, str(field.type)] for field in table.schema]
    content = {"fields": fields, "metadata": metadata, "rows": table.to_pylist()}
    return json.dumps(content, sort_keys=True).encode()


def _replace_root(data: bytes, root: Path) -> bytes:
    """Paths that depend on where the run and the checkout are: the temporary folder and the
    bundled assets (fonts, noise scenes, example speech), so a clone anywhere gives the same
    digests."""
    for asset in ("examples", "fonts", "noise_samples"):
        data = data.replace(str(asset_dir(asset).resolve()).encode(), f"<{asset}>".encode())
    return data.replace(str(root.resolve()).encode(), b"<ROOT>").replace(
        str(root).encode(), b"<ROOT>"
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def all_digests(root: Path, invoke: Callable[[list[str]], None]) -> dict[str, str]:
    """Run everything into `root` (made empty by the caller) and digest what it wrote."""
    make_inputs(root)
    digests: dict[str, str] = {}
    for name, argv in runs(root):
        invoke(argv)
        digests.update(digest_tree(root / name, root))
    digests.update({k: _sha(v) for k, v in library_outputs().items()})
    return digests
