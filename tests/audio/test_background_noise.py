import csv
import json
import pickle

import numpy as np
import pytest
import soundfile as sf

from augment.audio.background_noise import BackgroundNoise
from augment.audio.levels import rms_db, speech_level
from augment.core.errors import ConfigError
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000


def achieved_snr(clean: AudioSample, noisy: AudioSample, method: str) -> float:
    """Re-measure: undo the output gain, subtract the speech, compare levels."""
    record = noisy.extra["background_noise"]
    mix = noisy.waveform.astype(np.float64) / 10 ** (record["output_gain_db"] / 20)
    noise = mix - clean.waveform.astype(np.float64)
    return speech_level(clean.waveform, clean.sample_rate, method) - rms_db(noise)


@pytest.mark.parametrize("method", ["p56", "rms"])
@pytest.mark.parametrize("scene", ["crowd", "car", "street", "cafe"])
def test_measured_snr_of_the_mix_is_the_snr_asked(speech, method, scene):
    t = BackgroundNoise(scene, snr_db=(-5, 25), level_method=method)
    for i in range(3):
        out, params = t.run(speech, example_rng(1, i))
        measured = achieved_snr(speech, out, method)
        assert abs(measured - params["snr_db"]) < 0.1
        assert abs(out.extra["background_noise"]["snr_db_achieved"] - params["snr_db"]) < 0.1
        assert out.label == speech.label and out.extra["speaker"] == "s1"


def test_loud_mix_is_scaled_not_clipped_and_snr_kept(speech):
    loud = speech.replace(waveform=speech.waveform / np.max(np.abs(speech.waveform)) * 0.99)
    out, params = BackgroundNoise("street", snr_db=-5).run(loud, example_rng(0, 0))
    record = out.extra["background_noise"]
    assert record["output_gain_db"] < 0 and not record["clipped"]
    assert np.max(np.abs(out.waveform)) <= 1.0
    assert abs(achieved_snr(loud, out, "p56") - params["snr_db"]) < 0.1


def test_clipping_is_reported_when_not_prevented(speech):
    loud = speech.replace(waveform=speech.waveform / np.max(np.abs(speech.waveform)))
    t = BackgroundNoise("crowd", snr_db=-10, prevent_clipping=False)
    out, _ = t.run(loud, example_rng(0, 0))
    assert out.extra["background_noise"]["clipped"] is True
    assert np.max(np.abs(out.waveform)) > 1.0


def test_peak_normalize_sets_minus_one_dbfs(speech):
    out, _ = BackgroundNoise("car", snr_db=10, peak_normalize=True).run(speech, example_rng(0, 0))
    assert abs(20 * np.log10(np.max(np.abs(out.waveform))) + 1.0) < 0.01


def test_silent_speech_and_silent_noise_give_no_nan(tmp_path, speech):
    silent = speech.replace(waveform=np.zeros_like(speech.waveform))
    out, _ = BackgroundNoise("cafe", snr_db=10).run(silent, example_rng(0, 0))
    record = out.extra["background_noise"]
    assert record["skipped"] == "silent speech" and record["snr_db_achieved"] is None
    assert np.all(np.isfinite(out.waveform))
    assert abs(rms_db(out.waveform) - (-50.0)) < 0.1  # documented fallback level
    sf.write(tmp_path / "quiet.wav", np.zeros(RATE, np.float32), RATE)
    out, _ = BackgroundNoise(str(tmp_path / "quiet.wav")).run(speech, example_rng(0, 0))
    assert out.extra["background_noise"]["skipped"] == "silent noise"
    np.testing.assert_array_equal(out.waveform, speech.waveform)
    json.dumps(out.extra["background_noise"])


def test_short_noise_is_looped_with_crossfade_and_no_level_dip(tmp_path, make_speech):
    rng = np.random.default_rng(0)
    sf.write(tmp_path / "short.wav", rng.standard_normal(RATE // 2).astype(np.float32) * 0.1, RATE)
    speech = AudioSample(make_speech(4.0), RATE)
    out, params = BackgroundNoise(str(tmp_path / "short.wav"), snr_db=0).run(
        speech, example_rng(0, 0)
    )
    noise = out.waveform.astype(np.float64) - speech.waveform
    frames = noise[: noise.size // 160 * 160].reshape(-1, 160)
    levels = 10 * np.log10(np.mean(frames**2, axis=1))
    # 10 ms frame levels of stationary noise: a zero gap or a hard seam would show as a dip.
    assert levels.min() > np.median(levels) - 6.0
    assert abs(achieved_snr(speech, out, "p56") - params["snr_db"]) < 0.1


def test_noise_at_another_rate_is_resampled(tmp_path, speech):
    t = np.arange(3 * 48000) / 48000
    sf.write(
        tmp_path / "hum48k.wav", (0.1 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), 48000
    )
    out, _params = BackgroundNoise(str(tmp_path / "hum48k.wav"), snr_db=0).run(
        speech, example_rng(0, 0)
    )
    noise = out.waveform.astype(np.float64) - speech.waveform
    spectrum = np.abs(np.fft.rfft(noise))
    peak_hz = np.argmax(spectrum) * RATE / noise.size
    assert abs(peak_hz - 1000) < 5
    assert out.sample_rate == RATE


def test_user_folders_musan_demand_and_esc50_layouts(tmp_path, speech):
    rng = np.random.default_rng(0)

    def put(rel):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, rng.standard_normal(RATE).astype(np.float32) * 0.05, RATE)

    put("musan/noise/free-sound/a.wav")
    put("musan/music/b.wav")
    put("demand/DKITCHEN/ch01.wav")
    put("esc50/audio/1-100-A-0.wav")
    put("esc50/audio/1-200-A-1.wav")
    (tmp_path / "esc50/meta").mkdir(parents=True)
    with open(tmp_path / "esc50/meta/esc50.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["filename", "fold", "target", "category"])
        writer.writerow(["1-100-A-0.wav", 1, 0, "dog"])
        writer.writerow(["1-200-A-1.wav", 1, 1, "rooster"])
    cases = [
        ("noise", "musan", "noise/free-sound/a.wav"),
        ("dkitchen", "demand", "DKITCHEN/ch01.wav"),
        ("rooster", "esc50", "audio/1-200-A-1.wav"),
    ]
    for name, root, expected in cases:
        t = BackgroundNoise(name, noise_dir=str(tmp_path / root))
        _, params = t.run(speech, example_rng(0, 0))
        assert params["noise_file"] == expected
    with pytest.raises(ConfigError, match="noise"):
        BackgroundNoise("nothing-like-this", noise_dir=str(tmp_path / "musan"))


def test_home_relative_paths_are_expanded(tmp_path, speech, monkeypatch):
    """`--noise crowd,~/noise` reaches us with the ~ unexpanded: the shell expands it only
    at the start of a word."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "noise").mkdir()
    sf.write(tmp_path / "noise" / "hum.wav", np.full(RATE, 0.1, np.float32), RATE)
    for t in (BackgroundNoise("~/noise"), BackgroundNoise("hum", noise_dir="~/noise")):
        _, params = t.run(speech, example_rng(0, 1))
        assert params["noise_file"] == "hum.wav"


def test_long_files_are_read_by_segment(tmp_path, speech, monkeypatch):
    import augment.audio.noise_bank as bank

    monkeypatch.setattr(bank, "CACHE_MAX_SECONDS", 1.0)
    x = np.random.default_rng(0).standard_normal(10 * RATE).astype(np.float32) * 0.05
    sf.write(tmp_path / "long.flac", x, RATE)
    out, params = BackgroundNoise(str(tmp_path / "long.flac"), snr_db=5).run(
        speech, example_rng(0, 3)
    )
    start = round(params["noise_offset_s"] * RATE)
    gain = 10 ** (out.extra["background_noise"]["noise_gain_db"] / 20)
    added = out.waveform.astype(np.float64) - speech.waveform
    expected = x[start : start + speech.waveform.size] * gain
    assert np.max(np.abs(added - expected)) < 1e-4


def test_deterministic_picklable_and_json_params(speech):
    t = BackgroundNoise(["crowd", "street"], snr_db=(0, 20))
    a, pa = t.run(speech, example_rng(5, 9))
    b, pb = pickle.loads(pickle.dumps(t)).run(speech, example_rng(5, 9))
    assert a.waveform.tobytes() == b.waveform.tobytes() and pa == pb
    assert json.loads(json.dumps(pa)) == pa
    replay = t.apply(speech, pa)
    assert replay.waveform.tobytes() == a.waveform.tobytes()


def test_sources_are_drawn_uniformly(speech):
    t = BackgroundNoise(["crowd", "car", "street", "cafe"])
    counts = {}
    for i in range(400):
        source = t.draw_params(example_rng(0, i), speech)["noise_source"]
        counts[source] = counts.get(source, 0) + 1
    assert set(counts) == {"crowd", "car", "street", "cafe"}
    assert all(60 <= c <= 140 for c in counts.values())  # 100 +- 4 sigma


def test_bad_config_names_the_field():
    with pytest.raises(ConfigError, match="snr_db"):
        BackgroundNoise("crowd", snr_db=(20, 0))
    with pytest.raises(ConfigError, match="level_method"):
        BackgroundNoise("crowd", level_method="peak")
    with pytest.raises(ConfigError, match="noise"):
        BackgroundNoise("jungle")


def test_a_scene_name_draws_among_its_variant_files_and_records_the_file(speech):
    t = BackgroundNoise("car")
    counts = {}
    for i in range(300):
        rel = t.draw_params(example_rng(2, i), speech)["noise_file"]
        counts[rel] = counts.get(rel, 0) + 1
    assert set(counts) == {"car_50.flac", "car_100.flac", "car_130.flac"}
    assert all(60 <= c <= 140 for c in counts.values())  # 100 +- 4 sigma
    out, params = BackgroundNoise("car_130", snr_db=5).run(speech, example_rng(0, 0))
    assert params["noise_file"] == "car_130.flac"
    assert out.extra["background_noise"]["noise_file"] == "car_130.flac"
