"""The explorer's JSON API through Starlette's TestClient: the copies are the CLI's, bad values
come back as JSON naming the field, and only files under IN are served."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from starlette.testclient import TestClient
from typer.testing import CliRunner

from augment.cli.main import app as augment_app
from augment.explore.app import create_app
from augment.explore.session import file_under, open_session

ROTATE = [{"Rotate": {"degrees": [-20.0, 20.0]}}, {"Contrast": {"factor": [0.5, 1.5]}}]


def _client(root: Path, **kwargs) -> TestClient:
    app = create_app(open_session(root, None, 16))
    return TestClient(app, base_url="http://127.0.0.1:8765", **kwargs)


def _decode(data_url: str) -> bytes:
    return base64.b64decode(data_url.split(",", 1)[1])


def _render(client: TestClient, pipeline, seed=3, copies=2) -> list[dict]:
    body = {"pipeline": pipeline, "seed": seed, "copies": copies}
    response = client.post("/api/render", json=body)
    assert response.status_code == 200, response.text
    return response.json()["copies"]


def test_session_and_registry_describe_controls(image_dir: Path):
    client = _client(image_dir)
    session = client.get("/api/session").json()
    assert session["kind"] == "image"
    assert [i["path"] for i in session["inputs"]][:2] == ["a/a0.png", "a/a1.png"]
    registry = client.get("/api/registry").json()
    assert "Gain" not in registry  # audio steps are not offered for images
    controls = {c["name"]: c for c in registry["Rotate"]["controls"]}
    assert controls["degrees"]["type"] == "range"
    assert (controls["degrees"]["min"], controls["degrees"]["max"]) == (-360.0, 360.0)
    assert controls["interpolation"]["choices"] == ["nearest", "linear", "cubic"]
    assert {c["name"]: c["type"] for c in registry["Maybe"]["controls"]}["p"] == "p"
    assert {c["name"]: c for c in registry["Blur"]["controls"]}["kinds"]["type"] == "choices"


def test_copies_equal_what_the_cli_writes_with_the_exported_yaml(image_dir: Path, tmp_path):
    outside = tmp_path / "outside.png"
    Image.fromarray(np.full((40, 32), 128, np.uint8)).save(outside)
    os.symlink(outside, image_dir / "a" / "a1_link.png")  # numbered by the CLI, not shown
    client = _client(image_dir)
    inputs = client.get("/api/session").json()["inputs"]
    assert [i["index"] for i in inputs] == [0, 1, 3, 4, 5, 6, 7, 8, 9]
    copies = _render(client, ROTATE, seed=11, copies=3)
    assert [c["task"] for c in copies] == [
        j * 3 + k for j in (0, 1, 3, 4, 5, 6, 7, 8, 9) for k in range(3)
    ]
    config = tmp_path / "exported.yaml"
    config.write_text(client.post("/api/export", json={"pipeline": ROTATE}).json()["yaml"])
    out = tmp_path / "out"
    argv = ["images", str(image_dir), "-o", str(out), "--config", str(config)]
    result = CliRunner().invoke(augment_app, [*argv, "--seed", "11", "-n", "3"])
    assert result.exit_code == 0, result.output
    labels = {i["index"]: i["label"] for i in inputs}
    for copy in copies:
        written = out / labels[copy["input"]] / f"{copy['task']:07d}.png"
        assert _decode(copy["image"]) == written.read_bytes()
    assert len({_decode(c["image"]) for c in copies}) == len(copies)  # really augmented


def test_same_seed_same_copies_and_reroll_changes_them(image_dir: Path):
    client = _client(image_dir)
    first = [c["image"] for c in _render(client, ROTATE, seed=5)]
    assert [c["image"] for c in _render(client, ROTATE, seed=5)] == first
    rerolled = [c["image"] for c in _render(client, ROTATE, seed=6)]
    assert sum(a != b for a, b in zip(first, rerolled, strict=True)) == len(first)


def test_each_copy_carries_its_drawn_params(image_dir: Path):
    copies = _render(_client(image_dir), [{"Rotate": {"degrees": [-20.0, 20.0]}}])
    angles = [c["params"]["steps"][0]["Rotate"]["angle"] for c in copies]
    assert all(-20.0 <= a <= 20.0 for a in angles) and len(set(angles)) == len(angles)


@pytest.mark.parametrize(
    ("pipeline", "field", "step", "argument"),
    [
        ([{"Rotate": {"degrees": [30.0, 10.0]}}], "pipeline[0].Rotate.degrees", 0, "degrees"),
        (["Rotate", {"Contrast": {"factor": "x"}}], "pipeline[1].Contrast.factor", 1, "factor"),
        ([{"Rotate": {"spin": 3}}], "pipeline[0].Rotate.spin", 0, "spin"),
        ([{"Rotat": {}}], "pipeline[0]", 0, None),
    ],
)
def test_bad_value_is_a_json_error_naming_its_control(image_dir, pipeline, field, step, argument):
    response = _client(image_dir).post(
        "/api/render", json={"pipeline": pipeline, "seed": 0, "copies": 1}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["field"], error["step"], error["argument"]) == (field, step, argument)
    assert error["message"].startswith(field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pipeline": [], "seed": -1, "copies": 1}, "seed"),
        ({"pipeline": [], "seed": 0, "copies": 0}, "copies"),
        ({"pipeline": [], "seed": "zero", "copies": 1}, "seed"),
    ],
)
def test_bad_seed_or_copies_name_the_field(image_dir: Path, body, field):
    response = _client(image_dir).post("/api/render", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == field


def test_no_traceback_reaches_the_page(image_dir: Path):
    client = _client(image_dir, raise_server_exceptions=False)
    not_json = client.post("/api/render", content=b"{nope")
    assert not_json.status_code == 422 and not_json.json()["error"]["field"] == "request"
    # an audio step on images fails inside the transform: one JSON line, no traceback
    failed = client.post("/api/render", json={"pipeline": ["Gain"], "seed": 0, "copies": 1})
    assert failed.status_code == 500
    assert set(failed.json()) == {"error"} and "Traceback" not in failed.text
    assert client.get("/api/nothing").json()["error"]["message"]


def test_export_and_load_round_trip(image_dir: Path):
    client = _client(image_dir)
    text = client.post("/api/export", json={"pipeline": ROTATE}).json()["yaml"]
    loaded = client.post("/api/import", json={"yaml": text}).json()["pipeline"]
    assert [next(iter(step)) for step in loaded] == ["Rotate", "Contrast"]
    assert loaded[0]["Rotate"]["degrees"] == [-20.0, 20.0]
    assert client.post("/api/export", json={"pipeline": loaded}).json()["yaml"] == text
    bad = client.post("/api/import", json={"yaml": "- Rotate: {degrees: [5, 1]}"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "pipeline[0].Rotate.degrees"
    broken = client.post("/api/import", json={"yaml": "- [unclosed"})
    assert broken.status_code == 422 and broken.json()["error"]["field"] == "yaml"


def test_serves_files_under_in_only(image_dir: Path, tmp_path: Path):
    secret = tmp_path / "secret.png"
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(secret)
    os.symlink(secret, image_dir / "a" / "link_out.png")
    client = _client(image_dir)
    assert client.get("/files/a/a0.png").content == (image_dir / "a" / "a0.png").read_bytes()
    for path in (
        "/files/../secret.png",
        "/files/%2e%2e/secret.png",
        "/files/a/%2e%2e/%2e%2e/secret.png",
        f"/files/{secret}",
        f"/files//{secret}",
        "/files/a/link_out.png",
        "/files/a",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.content != secret.read_bytes()
    inputs = client.get("/api/session").json()["inputs"]
    assert "link_out.png" not in {i["name"] for i in inputs}  # a symlink out is not an input


def test_file_under_refuses_escapes(image_dir: Path):
    assert file_under(image_dir, "a/a0.png") == (image_dir / "a" / "a0.png").resolve()
    for bad in ("../crops/a/a0.png/..", "..", "/etc/passwd", "a/../../x", "", "a"):
        assert file_under(image_dir, bad) is None, bad


def test_audio_copies_play_and_equal_what_the_cli_writes(audio_dir: Path, tmp_path: Path):
    client = _client(audio_dir)
    session = client.get("/api/session").json()
    assert session["kind"] == "audio" and len(session["inputs"]) == 2
    pipeline = [{"ColoredNoise": {"snr_db": [5.0, 10.0]}}, {"Gain": {"gain_db": [-3.0, 0.0]}}]
    copies = _render(client, pipeline, seed=2, copies=2)
    assert all(_decode(c["image"]).startswith(b"\x89PNG") for c in copies)  # spectrograms
    config = tmp_path / "exported.yaml"
    config.write_text(client.post("/api/export", json={"pipeline": pipeline}).json()["yaml"])
    out = tmp_path / "out"
    argv = ["audio", str(audio_dir), "-o", str(out), "--config", str(config), "--seed", "2"]
    result = CliRunner().invoke(augment_app, [*argv, "-n", "2", "--format", "wav"])
    assert result.exit_code == 0, result.output
    labels = [i["label"] for i in session["inputs"]]
    for copy in copies:
        shown, _ = sf.read(io.BytesIO(_decode(copy["audio"])), dtype="int16")
        written, _ = sf.read(out / labels[copy["input"]] / f"{copy['task']:07d}.wav", dtype="int16")
        assert np.array_equal(shown, written)
    assert client.get("/api/spectrogram/0").content.startswith(b"\x89PNG")
    assert client.get("/api/spectrogram/9").status_code == 404


def test_refuses_other_host_names(image_dir: Path):
    """A page on another site that rebinds its DNS name to 127.0.0.1 still sends its own name."""
    client = _client(image_dir)
    assert client.get("/files/a/a0.png").status_code == 200
    rebound = client.get("/files/a/a0.png", headers={"host": "evil.example:8765"})
    assert rebound.status_code == 400
    assert rebound.content != (image_dir / "a" / "a0.png").read_bytes()
