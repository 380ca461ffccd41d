"""Fuzzing the readers of user files (hypothesis, bounded): whatever the bytes, a reader
returns a value or raises the toolkit's one-line error, never another exception.
Every crash found here becomes a named regression test next to the reader's other tests.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augment.core.errors import AugsynthError
from augment.core.registry import load_pipeline
from augment.core.text_files import decode_text
from augment.core.transform import Transform

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
