import numpy as np

from augment.audio.levels import SILENT_DB, active_level, rms_db, speech_level

RATE = 16000


def tone(seconds, amplitude=0.1, f=440.0):
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * f * t)


def test_steady_tone_active_level_equals_rms():
    x = tone(4.0)
    level, activity = active_level(x, RATE)
    assert abs(level - rms_db(x)) < 0.1
    assert activity > 0.98


def test_pauses_do_not_lower_the_active_level():
    x = tone(2.0)
    with_pauses = np.concatenate([x, np.zeros(6 * RATE), x])
    level, activity = active_level(with_pauses, RATE)
    # RMS drops by 10*log10(4/10) = -4 dB; P.56 stays within the hangover effect (< 1 dB).
    assert rms_db(with_pauses) < rms_db(x) - 3.9
    assert abs(level - rms_db(x)) < 1.0
    assert 0.4 < activity < 0.5


def test_level_scales_exactly_with_gain():
    x = tone(3.0) * (np.arange(3 * RATE) % 8000 < 5000)
    a = speech_level(x, RATE)
    b = speech_level(x * 10 ** (-12 / 20), RATE)
    assert abs((a - b) - 12.0) < 0.05


def test_silence_and_empty_give_a_number_not_nan():
    for x in (np.zeros(RATE), np.zeros(0), np.full(100, 1e-12)):
        level, activity = active_level(x, RATE)
        assert level == SILENT_DB and activity == 0.0
        assert rms_db(x) == SILENT_DB


def test_multichannel_is_averaged_over_channels():
    x = tone(2.0)
    assert abs(rms_db(np.stack([x, x])) - rms_db(x)) < 1e-9
