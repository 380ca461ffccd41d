"""ImpulseResponse: responses from a folder in a public set's layout, drawn by counting,
convolved exactly (a click comes back as the response, on time), recorded and replayed."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from augment.audio import ImpulseResponse
from augment.audio.levels import rms_db
from augment.audio.resampling import resample
from augment.core.errors import ConfigError, InputError
from augment.core.registry import build_pipeline, dump_pipeline
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng

RATE = 16000
PRE_DELAY = 120  # samples of silence before the direct path, as in measured responses


def _response(rate: int, rt60: float, seed: int) -> np.ndarray:
    """A decaying noise tail behind a direct-path peak at PRE_DELAY."""
    n = int(rt60 * rate)
    rng = np.random.default_rng(seed)
    tail = rng.standard_normal(n) * np.exp(-6.9 * np.arange(n) / n) * 0.3
    tail[0] = 1.0
    return np.concatenate([np.zeros(PRE_DELAY), tail]).astype(np.float32)


@pytest.fixture
def rir_dir(tmp_path: Path) -> Path:
    """OpenSLR 28's layout: simulated rooms in nested folders, a real multichannel set."""
    room = tmp_path / "simulated_rirs" / "smallroom" / "Room001"
    room.mkdir(parents=True)
    sf.write(room / "Room001-00001.wav", _response(RATE, 0.3, 1), RATE)
    sf.write(room / "Room001-00002.WAV", _response(RATE, 0.5, 2), RATE)
    real = tmp_path / "real_rirs_isotropic_noises"
    real.mkdir()
    four = np.stack([_response(48000, 0.4, 10 + c) for c in range(4)], axis=1)
    sf.write(real / "hall_4ch.flac", four, 48000)
    (tmp_path / "README.txt").write_text("not audio")
    (tmp_path / ".hidden.wav").write_bytes(b"")
    return tmp_path


def _click(at: int = 3000) -> AudioSample:
    x = np.zeros(RATE, np.float32)
    x[at] = 0.5
    return AudioSample(x, RATE)


def test_a_click_comes_back_as_the_response_from_its_direct_path(rir_dir: Path) -> None:
    transform = ImpulseResponse(str(rir_dir))
    params = {"file": "simulated_rirs/smallroom/Room001/Room001-00001.wav", "channel": 0}
    out = transform.apply(_click(), params).waveform
    expected = _response(RATE, 0.3, 1)[PRE_DELAY:]
    assert int(np.argmax(np.abs(out))) == 3000  # timing kept: the pre-delay is cut
    got = out[3000 : 3000 + expected.size]
    assert np.corrcoef(got, expected)[0, 1] > 0.9999
    assert abs(rms_db(out) - rms_db(_click().waveform)) < 0.01  # level kept


def test_files_are_found_at_any_depth_and_drawn_evenly(rir_dir: Path) -> None:
    transform = ImpulseResponse(str(rir_dir))
    counts: dict[str, int] = {}
    channels = set()
    for i in range(600):
        params = transform.draw_params(example_rng(0, i), _click())
        counts[params["file"]] = counts.get(params["file"], 0) + 1
        if params["file"].endswith(".flac"):
            channels.add(params["channel"])
        else:
            assert params["channel"] == 0
    assert set(counts) == {
        "real_rirs_isotropic_noises/hall_4ch.flac",
        "simulated_rirs/smallroom/Room001/Room001-00001.wav",
        "simulated_rirs/smallroom/Room001/Room001-00002.WAV",
    }
    assert all(abs(c / 600 - 1 / 3) < 0.06 for c in counts.values())
    assert channels == {0, 1, 2, 3}


def test_a_48k_multichannel_response_is_resampled_to_the_audio_rate(rir_dir: Path) -> None:
    params = {"file": "real_rirs_isotropic_noises/hall_4ch.flac", "channel": 2}
    out = ImpulseResponse(str(rir_dir)).apply(_click(), params).waveform
    expected = resample(_response(48000, 0.4, 12), 48000, RATE)
    expected = expected[int(np.argmax(np.abs(expected))) :]
    got = out[3000 : 3000 + expected.size]
    assert np.corrcoef(got, expected)[0, 1] > 0.999


def test_contract_json_params_config_round_trip_pickle_replay(rir_dir: Path, speech) -> None:
    transform = build_pipeline({"ImpulseResponse": {"ir_dir": str(rir_dir)}})
    config = dump_pipeline(transform)
    assert dump_pipeline(build_pipeline(json.loads(json.dumps(config)))) == config
    out, params = transform.run(speech, example_rng(3, 4))
    assert json.loads(json.dumps(params)) == params
    clone = pickle.loads(pickle.dumps(transform))
    assert clone.apply(speech, params).waveform.tobytes() == out.waveform.tobytes()
    assert out.waveform.dtype == np.float32 and np.all(np.isfinite(out.waveform))
    assert "Realistic" in (ImpulseResponse.__doc__ or "")
    stereo = AudioSample(np.stack([speech.waveform, speech.waveform]), RATE)
    both = transform.apply(stereo, params).waveform
    np.testing.assert_array_equal(both[0], out.waveform)


def test_missing_or_empty_folders_fail_at_build_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"ir_dir: .*not a folder"):
        ImpulseResponse(str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match=r"ir_dir: .*no .wav or .flac files"):
        ImpulseResponse(str(tmp_path))


def test_an_unreadable_response_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.wav").write_bytes(b"RIFF....not a wave file")
    transform = ImpulseResponse(str(tmp_path))
    with pytest.raises(InputError, match=r"broken\.wav: cannot read"):
        transform.run(_click(), example_rng(0, 0))
