import inspect
import json
import pickle

import numpy as np
import pytest
from scipy.signal import butter, sosfilt

from augment.audio import (
    AutomaticGain,
    Clipping,
    ColoredNoise,
    Gain,
    PitchShift,
    Reverb,
    SpeedPerturb,
)
from augment.audio.levels import rms_db, speech_level
from augment.audio.room_ir import room_impulse_response, schroeder_rt60
from augment.core.registry import build_pipeline, dump_pipeline, registered
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


@pytest.mark.parametrize("rt60", [0.25, 0.5, 1.0])
def test_room_ir_rt60_by_schroeder_integration(rt60):
    band = butter(4, [707, 1414], "bandpass", fs=RATE, output="sos")  # 1 kHz octave
    for seed in range(3):
        ir = room_impulse_response(rt60, 0.0, RATE, seed)
        measured = schroeder_rt60(sosfilt(band, ir), RATE, (-5, -25))
        assert abs(measured / rt60 - 1) < 0.1, (seed, measured)


def test_reverb_keeps_length_and_level_and_smears_time(speech):
    y, params = Reverb(rt60_s=0.8, drr_db=0).run(speech, example_rng(0, 0))
    assert y.waveform.shape == speech.waveform.shape
    assert abs(rms_db(y.waveform) - rms_db(speech.waveform)) < 0.01
    assert 0.05 < params["rt60_s"] <= 0.8

    # Pauses fill with reverberant energy: the quietest 10% of frames get louder.
    def floor(x):
        frames = x[: x.size // 320 * 320].reshape(-1, 320)
        return np.percentile(np.mean(frames**2, axis=1), 10)

    assert floor(y.waveform) > 10 * floor(speech.waveform)


def test_gain_is_exact(speech):
    y, params = Gain((-6, 6)).run(speech, example_rng(0, 0))
    assert abs(rms_db(y.waveform) - rms_db(speech.waveform) - params["gain_db"]) < 1e-3


def test_clipping_flattens_the_drawn_fraction_by_counting(speech):
    y, params = Clipping(0.02).run(speech, example_rng(0, 0))
    ceiling = np.max(np.abs(y.waveform))
    at_ceiling = np.mean(np.abs(y.waveform) >= ceiling * 0.99999)
    assert abs(at_ceiling - params["clip_fraction"]) < 0.003


def test_automatic_gain_brings_quiet_and_loud_talkers_together(speech):
    quiet = speech.replace(waveform=speech.waveform * 0.05)
    loud = speech.replace(waveform=speech.waveform * 3.0)
    agc = AutomaticGain(target_db=-20.0, max_gain_db=40.0)
    a = speech_level(agc.apply(quiet, {"target_db": -20.0}).waveform, RATE)
    b = speech_level(agc.apply(loud, {"target_db": -20.0}).waveform, RATE)
    assert abs(a - b) < 2.0  # input levels were 35.6 dB apart
    assert abs(a - (-20.0)) < 6.0


def test_colored_noise_snr_and_slope(speech):
    t = ColoredNoise(snr_db=10, exponent=2.0)
    y, _ = t.run(speech, example_rng(0, 0))
    noise = y.waveform.astype(np.float64) - speech.waveform
    assert abs(speech_level(speech.waveform, RATE) - rms_db(noise) - 10) < 0.1
    p = np.abs(np.fft.rfft(noise)) ** 2
    f = np.fft.rfftfreq(noise.size, 1 / RATE)
    low, high = p[(f > 100) & (f < 200)].mean(), p[(f > 1000) & (f < 2000)].mean()
    assert 15 < 10 * np.log10(low / high) < 25  # brown: -20 dB per decade


def test_speed_perturb_changes_length_by_the_factor(speech):
    y, _params = SpeedPerturb((1.1, 1.1)).run(speech, example_rng(0, 0))
    assert abs(y.waveform.size - speech.waveform.size / 1.1) <= 1
    assert y.label == speech.label


def test_pitch_shift_keeps_length_and_moves_f0():
    t = np.arange(RATE) / RATE
    x = AudioSample(np.sin(2 * np.pi * 200 * t).astype(np.float32), RATE)
    y = PitchShift(12).apply(x, {"semitones": 12.0}).waveform
    assert y.size == RATE
    peak = np.argmax(np.abs(np.fft.rfft(y[4000:12000]))) * RATE / 8000
    assert abs(peak - 400) < 10


def _builds_with_defaults(cls) -> bool:
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters
    )


# Transforms that need an argument (ImpulseResponse's folder) have their own contract tests.
AUDIO = [n for n, c in registered().items() if c.kind == "audio" and _builds_with_defaults(c)]


@pytest.mark.parametrize("name", AUDIO)
def test_every_audio_transform_is_json_picklable_and_replays(name, speech):
    transform = build_pipeline({name: {}})
    config = dump_pipeline(transform)
    assert dump_pipeline(build_pipeline(json.loads(json.dumps(config)))) == config
    y, params = transform.run(speech, example_rng(3, 4))
    assert json.loads(json.dumps(params)) == params
    clone = pickle.loads(pickle.dumps(transform))
    assert clone.apply(speech, params).waveform.tobytes() == y.waveform.tobytes()
    assert y.waveform.dtype == np.float32 and np.all(np.isfinite(y.waveform))
    doc = type(transform).__doc__
    assert "ealistic" in doc or "REALISTIC" in doc  # says when it is realistic


def test_audio_transforms_are_registered():
    expected = {
        "BackgroundNoise", "BadPhone", "TelephoneBand", "G711", "GSM", "PacketLoss", "Clipping",
        "AutomaticGain", "Resample", "Reverb", "Gain", "SpeedPerturb", "PitchShift",
        "ColoredNoise",
    }  # fmt: skip
    assert expected <= set(AUDIO)
