import numpy as np
import pytest

from augment.audio.bad_phone import BadPhone
from augment.audio.g711 import G711
from augment.audio.gsm import GSM
from augment.audio.packet_loss import PacketLoss, conceal, gilbert_elliott_losses
from augment.audio.resample_rate import Resample
from augment.audio.telephone_band import TelephoneBand
from augment.core.sample import AudioSample
from augment.core.seeding import example_rng


def response_db(rate: int, freqs) -> np.ndarray:
    """Measured gain of TelephoneBand at each frequency: steady-state sine in, level out."""
    t = np.arange(int(1.0 * rate)) / rate
    out = []
    for f in freqs:
        x = np.sin(2 * np.pi * f * t).astype(np.float32)
        y = TelephoneBand().apply(AudioSample(x, rate), {}).waveform
        settle = rate // 2
        out.append(20 * np.log10(np.std(y[settle:]) / np.std(x[settle:])))
    return np.array(out)


@pytest.mark.parametrize("rate", [8000, 16000])
def test_telephone_band_frequency_response(rate):
    in_band = response_db(rate, [300, 400, 700, 1000, 1500, 2000, 2500, 3000, 3400])
    assert np.all(np.abs(in_band - in_band.mean()) < 0.75), in_band  # flat within +-0.75 dB
    assert np.all(in_band > -1.5)
    low = response_db(rate, [50, 60, 80, 100])
    assert np.all(low < -35), low
    if rate > 8000:
        high = response_db(rate, [4000, 4500, 5000, 6000, 7000])
        assert np.all(high < -30), high


def test_resample_to_narrowband_updates_rate_and_removes_high_band(make_speech):
    x = AudioSample(make_speech(2.0), 16000)
    y = Resample(8000).apply(x, {})
    assert y.sample_rate == 8000 and y.waveform.size == x.waveform.size // 2
    back = Resample(16000).apply(y, {})
    spectrum = np.abs(np.fft.rfft(back.waveform)) ** 2
    f = np.fft.rfftfreq(back.waveform.size, 1 / 16000)
    assert spectrum[f > 4300].sum() / spectrum.sum() < 1e-4


@pytest.mark.parametrize("law", ["ulaw", "alaw"])
def test_g711_quantisation_noise_follows_the_signal(law):
    t = np.arange(8000) / 8000
    for amplitude in (0.5, 0.05):
        x = (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        y = G711(law).apply(AudioSample(x, 8000), {"law": law}).waveform
        snr = 10 * np.log10(np.sum(x**2) / np.sum((y - x) ** 2))
        assert 30 < snr < 45  # ~38 dB SQNR of 8-bit log PCM, roughly level-independent


def test_gsm_round_trip_keeps_length_and_degrades(make_speech):
    x = AudioSample(make_speech(2.0, rate=8000), 8000)
    y = GSM().apply(x, {}).waveform
    assert y.shape == x.waveform.shape
    corr = np.corrcoef(x.waveform, y)[0, 1]
    assert 0.5 < corr < 0.999
    y16 = GSM().apply(AudioSample(make_speech(1.0), 16000), {}).waveform
    assert y16.size == 16000


def test_gilbert_elliott_loss_rate_and_bursts_by_counting():
    rng = np.random.default_rng(0)
    frames = 200_000
    lost = np.zeros(frames, bool)
    lost[gilbert_elliott_losses(rng, frames, 0.05, 3.0)] = True
    assert abs(lost.mean() - 0.05) < 0.004
    starts = np.sum(lost[1:] & ~lost[:-1])
    assert abs(lost.sum() / starts - 3.0) < 0.2  # mean burst length


def test_concealment_repeats_and_fades_instead_of_zeros():
    rate, frame = 8000, 160
    t = np.arange(rate) / rate
    x = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    y = conceal(x, frame, [10, 11, 12, 13])
    energy = [np.sqrt(np.mean(y[i * frame : (i + 1) * frame] ** 2)) for i in range(9, 15)]
    assert energy[1] > 0.1  # first lost frame: repeated audio, not silence
    assert energy[1] > energy[2] > energy[3]  # fading
    assert energy[4] < 1e-3  # muted after 60 ms
    np.testing.assert_array_equal(y[: 10 * frame], x[: 10 * frame])


def test_packet_loss_params_list_lost_frames_and_replay(make_speech):
    x = AudioSample(make_speech(3.0), 16000)
    t = PacketLoss(loss_rate=0.2, burst_frames=2.0, frame_ms=20)
    y, params = t.run(x, example_rng(0, 0))
    assert params["lost_frames"] and all(0 <= f < 150 for f in params["lost_frames"])
    assert t.apply(x, params).waveform.tobytes() == y.waveform.tobytes()


def test_bad_phone_is_narrowband_at_the_input_rate(make_speech):
    x = AudioSample(make_speech(3.0), 16000, label="hi", extra={"speaker": "a"})
    for i in range(6):
        y, params = BadPhone().run(x, example_rng(0, i))
        assert y.sample_rate == 16000 and y.waveform.shape == x.waveform.shape
        assert y.label == "hi" and y.extra["speaker"] == "a"
        spectrum = np.abs(np.fft.rfft(y.waveform)) ** 2
        f = np.fft.rfftfreq(y.waveform.size, 1 / 16000)
        assert spectrum[f > 4200].sum() / spectrum.sum() < 1e-3
        assert spectrum[f < 100].sum() / spectrum.sum() < 1e-2
        assert params["codec"] in ("ulaw", "alaw", "gsm")
        assert np.all(np.isfinite(y.waveform))
