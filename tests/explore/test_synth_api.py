"""`synth explore`'s API: the crops shown are the ones `synth ocr` writes with the exported
synth.yaml, and bad render options or steps come back as JSON naming the field."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient
from typer.testing import CliRunner

from augment.explore.app import create_app
from augment.explore.synth_session import open_synth_session
from synth.cli import app as synth_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = create_app(open_synth_session("digits", None, (24, 24), None, 4))
    return TestClient(app, base_url="http://localhost:8765")


def _body(client: TestClient, **changes) -> dict:
    info = client.get("/api/session").json()
    body = {"pipeline": info["pipeline"], "render": info["render"], "seed": 4, "copies": 2}
    return body | changes


def test_session_shows_render_controls_and_the_command(client: TestClient):
    info = client.get("/api/session").json()
    assert info["kind"] == "synth"
    assert [row["name"] for row in info["inputs"]] == ["0", "3", "6", "9"]
    controls = {c["name"]: c["type"] for c in info["render_controls"]}
    assert "size" not in controls  # --size sets it
    assert (controls["margin"], controls["p_dark_text"], controls["neighbours"]) == (
        "range",
        "number",
        "text",
    )
    assert info["command"].startswith("synth ocr -o OUT --config synth.yaml --charset digits")


def test_crops_equal_what_synth_ocr_writes_with_the_exported_yaml(client, tmp_path: Path):
    body = _body(client)
    body["render"] = body["render"] | {"p_neighbour": 0.0, "margin": [0.1, 0.2]}
    body["pipeline"] = [{"Rotate": {"degrees": [-15.0, 15.0]}}]
    response = client.post("/api/render", json=body)
    assert response.status_code == 200, response.text
    crops = response.json()["copies"]
    assert [c["task"] for c in crops] == [k * 10 + c for c in (0, 3, 6, 9) for k in range(2)]
    exported = client.post("/api/export", json=body).json()["yaml"]
    assert yaml.safe_load(exported)["render"] == {"margin": [0.1, 0.2], "p_neighbour": 0.0}
    config = tmp_path / "synth.yaml"
    config.write_text(exported)
    out = tmp_path / "out"
    argv = ["ocr", "-o", str(out), "--config", str(config), "--charset", "digits"]
    result = CliRunner().invoke(
        synth_app, [*argv, "--size", "24", "--per-class", "2", "--seed", "4"]
    )
    assert result.exit_code == 0, result.output
    for crop in crops:
        written = out / str(crop["input"]) / f"{crop['task']:07d}.png"
        assert base64.b64decode(crop["image"].split(",", 1)[1]) == written.read_bytes()
    loaded = client.post("/api/import", json={"yaml": exported}).json()
    assert loaded["render"]["margin"] == [0.1, 0.2] and loaded["pipeline"] == [
        {"Rotate": {**loaded["pipeline"][0]["Rotate"], "degrees": [-15.0, 15.0]}}
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"render": {"min_contrast": 50}}, "render.min_contrast"),
        ({"render": {"margin": [0.5, 0.1]}}, "render.margin"),
        ({"render": {"glow": 1}}, "render.glow"),
        ({"pipeline": [{"Blur": {"kinds": ["sparkle"]}}]}, "pipeline[0].Blur.kinds"),
    ],
)
def test_bad_render_option_or_step_names_the_field(client: TestClient, change, field):
    body = _body(client, **change)
    response = client.post("/api/render", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
