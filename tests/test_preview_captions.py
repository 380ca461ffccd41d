"""Preview captions word the params a manifest row records: the drawn angle, scale and
contrast of an image copy; scene, SNR asked and achieved, codec and loss of a speech copy."""

from __future__ import annotations

import json

import numpy as np

from augment import build_pipeline, example_rng
from augment.core.sample import ImageSample
from augment.preview.captions import caption_lines, label_lines
from augment.preview.steps import applied_steps

IMAGE_PIPELINE = [
    {"Rotate": {"degrees": 10}},
    {"Maybe": {"p": 0.5, "transform": {"Scale": {"factor": [0.8, 1.2]}}}},
    {"OneOf": {"transforms": [{"Contrast": {"factor": [0.6, 1.4]}}, {"Gamma": {}}]}},
    {"GridWarp": {}},
]


def _row(pipeline, index: int) -> dict:
    """A manifest row's params as the run writes them (through JSON)."""
    sample = ImageSample(np.full((24, 24), 128, np.uint8), label="a")
    _, params = pipeline.run(sample, example_rng(0, index))
    return {"params": json.loads(json.dumps(params))}


def test_the_caption_holds_the_drawn_angle_scale_and_contrast():
    pipeline = build_pipeline(IMAGE_PIPELINE)
    seen_scale = seen_gamma = False
    for index in range(20):
        row = _row(pipeline, index)
        lines = caption_lines(row, pipeline)
        angle = row["params"]["steps"][0]["Rotate"]["angle"]
        assert lines[0].startswith("angle ") and lines[0].endswith("°")
        assert abs(float(lines[0][len("angle ") : -1]) - angle) <= 0.05
        maybe = row["params"]["steps"][1]["Maybe"]
        scale_lines = [line for line in lines if line.startswith("scale ")]
        if maybe["applied"]:
            seen_scale = True
            assert len(scale_lines) == 1
            assert abs(float(scale_lines[0].split()[1]) - maybe["params"]["factor"]) <= 0.005
        else:  # a step that did not run is not mentioned
            assert scale_lines == []
        one_of = row["params"]["steps"][2]["OneOf"]
        if one_of["choice"] == 0:
            (shown,) = [line.split()[1] for line in lines if line.startswith("contrast ")]
            assert abs(float(shown) - one_of["params"]["factor"]) <= 0.005
        else:
            seen_gamma = True
            assert any(line.startswith("gamma ") for line in lines)
        assert lines[-1] == "grid warp"  # no scalar params: only its name
    assert seen_scale and seen_gamma


def test_applied_steps_names_the_choice_inside_combinators():
    pipeline = build_pipeline(IMAGE_PIPELINE)
    row = _row(pipeline, 3)
    names = [name for name, _ in applied_steps(pipeline, row["params"])]
    assert names[0] == "Rotate" and names[-1] == "GridWarp"
    assert ("Contrast" in names) != ("Gamma" in names)


def test_a_speech_caption_says_scene_snr_codec_and_loss():
    pipeline = build_pipeline([{"BackgroundNoise": {"noise": ["car"]}}, {"BadPhone": {}}])
    params = {
        "steps": [
            {"BackgroundNoise": {"noise_source": "car", "noise_file": "car_100.flac",
                                 "noise_offset_s": 1.0, "snr_db": 12.0}},
            {"BadPhone": {"codec": "gsm", "Clipping": {"clip_fraction": 0.02},
                          "AutomaticGain": {"target_db": -20.0},
                          "PacketLoss": {"frame_ms": 20, "loss_rate": 0.05, "burst_frames": 2.0,
                                         "lost_frames": [3, 4, 9]}}},
        ]
    }  # fmt: skip
    row = {"params": params, "snr_db_asked": 12.0, "snr_db_achieved": 11.74}
    assert caption_lines(row, pipeline) == [
        "noise car_100, SNR 11.7 dB (asked 12)",
        "phone gsm, loss 5% (3 frames), clip 2%",
    ]
    row["snr_db_achieved"] = 12.01
    assert caption_lines(row, pipeline)[0] == "noise car_100, SNR 12 dB (as asked)"


def test_unknown_and_unapplied_steps():
    pipeline = build_pipeline([{"Maybe": {"p": 0.5, "transform": {"Blur": {}}}}])
    unapplied = {"params": {"steps": [{"Maybe": {"applied": False, "params": None}}]}}
    assert caption_lines(unapplied, pipeline) == ["unchanged"]
    applied = {"params": {"steps": [{"Maybe": {"applied": True, "params": {
        "kind": "defocus", "size": 0.0312, "seed": 7}}}]}}  # fmt: skip
    assert caption_lines(applied, pipeline) == ["blur defocus 0.031"]
    pipeline = build_pipeline([{"Noise": {}}])  # no wording of its own: name, first values
    noise = {"params": {"steps": [{"Noise": {"sigma": 0.01234, "seed": 99}}]}}
    assert caption_lines(noise, pipeline) == ["noise sigma 0.01"]


def test_synth_crops_are_labelled_with_their_font():
    assert label_lines({"label": "a", "font": "Cabin/Cabin-Bold.otf"}) == ["a", "Cabin-Bold"]
    assert label_lines({"label": None}) == ["unlabelled"]
