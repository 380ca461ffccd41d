"""Fuzzing the readers of user files (hypothesis, bounded): whatever the bytes, a reader
returns a value or raises the toolkit's one-line error, never another exception.
Every crash found here becomes a named regression test next to the reader's other tests.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augment.audio.io import read_audio
from augment.core.errors import AugsynthError
from augment.core.registry import load_pipeline
from augment.core.text_files import decode_text
from augment.core.transform import Transform
from augment.dataset.readers import list_inputs
from augment.images.io import IMAGE_EXTENSIONS, decode_image

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NAMES = ["Rotate", "Blur", "OneOf", "Maybe", "SomeOf", "Sequence", "Gain", "Mirror", "x"]
yaml_atoms = st.one_of(
    st.sampled_from(NAMES),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
)
configs = st.recursive(
    yaml_atoms,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [*NAMES, "transforms", "transform", "p", "n", "weights", "degrees"]
                ),
                st.text(max_size=5),
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=12,
)


def _load(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        assert isinstance(load_pipeline(path), Transform)
    except AugsynthError as err:
        assert "\n" not in str(err)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".yaml", ".json"]))
def test_config_reader_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    _load(tmp_path / f"fuzz{suffix}", data)


@FUZZ
@given(config=configs)
def test_config_reader_on_structured_configs(tmp_path: Path, config) -> None:
    import json

    _load(tmp_path / "fuzz.json", json.dumps(config).encode())


@FUZZ
@given(data=st.binary(max_size=300))
def test_text_decoding_on_arbitrary_bytes(data: bytes) -> None:
    try:
        assert isinstance(decode_text(data, "fuzz.txt"), str)
    except AugsynthError as err:
        assert str(err).startswith("fuzz.txt: ")


def _returns_or_refuses(call, *args) -> None:
    try:
        call(*args)
    except AugsynthError as err:
        assert "\n" not in str(err)


def _png() -> bytes:
    import io

    import numpy as np
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@FUZZ
@given(data=st.binary(max_size=600))
def test_image_decoding_on_arbitrary_bytes(data: bytes) -> None:
    _returns_or_refuses(decode_image, data, "fuzz.png")


@FUZZ
@given(position=st.integers(0, len(PNG) - 1), value=st.integers(0, 255), cut=st.booleans())
def test_image_decoding_on_damaged_pngs(position: int, value: int, cut: bool) -> None:
    data = PNG[:position] if cut else PNG[:position] + bytes([value]) + PNG[position + 1 :]
    _returns_or_refuses(decode_image, data, "fuzz.png")


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".wav", ".flac", ".ogg"]))
def test_audio_reading_on_arbitrary_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(b"RIFF" + data if suffix == ".wav" else data)
    _returns_or_refuses(read_audio, path)


table_text = st.text(
    alphabet=st.sampled_from(list('ab,"\n\r\u2028\ufeff\\{}[]:x.png_ \x00\ud800')), max_size=120
)


@FUZZ
@given(text=table_text, name=st.sampled_from(["labels.csv", "metadata.csv", "metadata.jsonl"]))
def test_table_reading_on_arbitrary_text(tmp_path: Path, text: str, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "x.png").write_bytes(PNG)
    (folder / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        entries = list_inputs(folder, IMAGE_EXTENSIONS)
    except AugsynthError as err:
        assert "\n" not in str(err)
        return
    for entry in entries:  # every entry can be written to a manifest
        import orjson

        orjson.dumps(entry)
    for table in folder.glob("*.csv"):
        table.unlink()
    for table in folder.glob("*.jsonl"):
        table.unlink()
