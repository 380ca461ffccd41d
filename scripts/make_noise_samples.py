"""Generate the bundled background scenes in noise_samples/ (crowd, car, street, cafe).

Every scene is synthesised from physically or perceptually motivated source models, seeded,
so this script reproduces the FLAC files byte for byte on the same library versions:

- voices: espeak-ng (apt install espeak-ng) with many voices, pitches, rates and languages,
  each talker placed in a room (synthetic impulse response, distance -> level and
  direct-to-reverberant ratio) and speaking in turns with pauses;
- engines: harmonic series of the firing frequency of a four-stroke engine whose speed
  wanders slowly; tyres and road: shaped Gaussian noise with cabin resonances, surface
  changes and expansion-joint thumps; wind: gusty band-limited turbulence;
- vehicles passing by: moving sources with 1/r spreading and Doppler (variable delay);
- cafe events: dish and cutlery clinks (decaying inharmonic modes), espresso steam and
  grinder, chair scrapes, ventilation.

Usage: python scripts/make_noise_samples.py [--out noise_samples] [--seconds 60] [--measure]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import butter, hilbert, lfilter, oaconvolve, resample_poly, sosfilt, welch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from augment.audio.room_ir import room_impulse_response

FS = 16000
SEEDS = {"crowd": 101, "car": 202, "street": 303, "cafe": 404}
TARGET_RMS_DB = -26.0

# ---------------------------------------------------------------- text and voices

SUBJECTS = (
    "I",
    "we",
    "you",
    "they",
    "my brother",
    "the manager",
    "our neighbour",
    "she",
    "he",
    "the new guy",
    "my friend from work",
    "the kids",
    "everyone",
    "nobody",
    "the waiter",
)
VERBS = (
    "said",
    "thought",
    "told me",
    "asked if",
    "heard that",
    "wanted to know why",
    "was sure that",
    "could not believe",
    "forgot that",
    "mentioned that",
    "promised that",
)
CLAUSES = (
    "the train was late again this morning",
    "we should meet after lunch on Friday",
    "the prices went up last month",
    "the meeting moved to Thursday afternoon",
    "it might rain all weekend",
    "they finally fixed the kitchen window",
    "the concert starts at eight",
    "the shop on the corner is closing down",
    "she got the job in the end",
    "the football match went to extra time",
    "the new flat has a lovely balcony",
    "we need more chairs for the party",
    "the report is due tomorrow",
    "the cat knocked over the plant again",
    "the bus drivers are on strike",
    "nobody read the email",
    "the soup was far too salty",
    "he is moving to another city",
    "the garden looks much better now",
    "they booked a holiday by the sea",
    "the car needs new tyres",
)
TAGS = (
    "",
    "",
    "",
    " really",
    " honestly",
    " you know",
    " can you imagine",
    " I mean",
    " isn't it",
    " right",
    " anyway",
)
REPLIES = (
    "Really?",
    "No way.",
    "Oh, that's great.",
    "Yes, exactly.",
    "I know, I know.",
    "Hmm, maybe.",
    "That's what I said!",
    "Wait, what?",
    "Oh dear.",
    "Sure, why not.",
    "Ha ha, yes.",
    "Okay.",
    "Right, right.",
    "Are you serious?",
)
ENGLISH_VOICES = ("en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp", "en-us-nyc")
OTHER_VOICES = ("de", "fr-fr", "es", "it", "nl", "pt", "pl", "sv")
VARIANTS_M = ("m1", "m2", "m3", "m4", "m5", "m6", "m7")
VARIANTS_F = ("f1", "f2", "f3", "f4", "f5")


def sentence(rng: np.random.Generator) -> str:
    if rng.random() < 0.2:
        return str(rng.choice(REPLIES))
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}{rng.choice(TAGS)}"
    s = s[0].upper() + s[1:]
    return s + str(rng.choice((".", ".", "!", "?")))


def random_voice(rng: np.random.Generator, foreign: float = 0.25) -> dict:
    """A talker: language/accent, sex variant, pitch (0-99) and speaking rate (words/min)."""
    female = rng.random() < 0.5
    language = str(rng.choice(OTHER_VOICES if rng.random() < foreign else ENGLISH_VOICES))
    variant = str(rng.choice(VARIANTS_F if female else VARIANTS_M))
    return {
        "voice": f"{language}+{variant}",
        "pitch": int(rng.integers(55, 90) if female else rng.integers(15, 60)),
        "speed": int(rng.integers(140, 210)),
    }


def espeak(text: str, voice: dict) -> np.ndarray:
    """One utterance from espeak-ng at FS (espeak renders 22.05 kHz)."""
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "u.wav"
        cmd = [
        "espeak-ng", "-w", str(wav_path), "-v", voice["voice"], "-p", str(voice["pitch"]),
        "-s", str(voice["speed"]), text,
    ]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)
        x, rate = sf.read(wav_path, dtype="float64")
    assert rate == 22050, rate
    x = resample_poly(x, 320, 441)
    nz = np.nonzero(np.abs(x) > 1e-3)[0]
    return x[nz[0] : nz[-1] + 1] if nz.size else x


# Long-term average speech spectrum, 1/3-octave band levels in dB (shape after Byrne et al.,
# "An international comparison of long-term average speech spectra", JASA 1994, rounded).
LTASS_THIRD_OCTAVE = (
    (100, 54.0), (125, 57.5), (160, 57.0), (200, 58.0), (250, 59.5), (315, 60.0), (400, 62.0),
    (500, 62.5), (630, 60.5), (800, 56.0), (1000, 53.5), (1250, 53.5), (1600, 52.0),
    (2000, 49.0), (2500, 48.0), (3150, 47.0), (4000, 45.5), (5000, 45.0), (6300, 44.0),
    (8000, 43.0),
)  # fmt: skip


def ltass_equalise(x: np.ndarray) -> np.ndarray:
    """Correct a synthetic voice's long-term spectrum to the human LTASS shape.

    espeak-ng's formant synthesiser is brighter and thinner than real voices; a smooth
    correction filter (ratio of target to measured 1/3-octave levels) fixes the average
    spectrum of the crowd without touching its temporal structure.
    """
    f, p = welch(x, FS, nperseg=2048)
    centres = np.array([c for c, _ in LTASS_THIRD_OCTAVE], dtype=float)
    measured = np.array(
        [np.sum(p[(f >= c / 2 ** (1 / 6)) & (f < c * 2 ** (1 / 6))]) for c in centres]
    )
    target = 10 ** (np.array([v for _, v in LTASS_THIRD_OCTAVE]) / 10)
    corr_db = 10 * np.log10(target / target.sum()) - 10 * np.log10(measured / measured.sum())
    corr_db = np.clip(corr_db - np.median(corr_db), -20, 20)
    spectrum = np.fft.rfft(x)
    fx = np.fft.rfftfreq(x.size, 1 / FS)
    gain = np.interp(np.log10(np.maximum(fx, 50)), np.log10(centres), corr_db)
    return np.fft.irfft(spectrum * 10 ** (gain / 20), x.size)


def talker(rng: np.random.Generator, n: int, voice: dict, talk_share: float) -> np.ndarray:
    """A talker in a conversation: utterances separated by pauses (listening turns).

    `talk_share` is the fraction of time spent talking (about 0.5 in a two-way chat);
    the level of each utterance varies by a couple of dB, as natural speech does.
    """
    out = np.zeros(n)
    t = int(rng.uniform(0, 3.0) * FS)
    while t < n:
        utterance = np.concatenate(
            [espeak(sentence(rng), voice) for _ in range(int(rng.integers(1, 4)))]
        )
        utterance *= 10 ** (rng.normal(0, 2.0) / 20)
        utterance /= np.sqrt(np.mean(utterance**2)) + 1e-12
        end = min(n, t + utterance.size)
        out[t:end] += utterance[: end - t]
        speak = utterance.size / FS
        pause = rng.exponential(speak * (1 - talk_share) / talk_share) + rng.uniform(0.2, 0.6)
        t = end + int(pause * FS)
    return ltass_equalise(out) if np.any(out) else out


def in_room(rng: np.random.Generator, x: np.ndarray, rt60: float, distance_m: float) -> np.ndarray:
    """Place a source at a distance in a room: 1/r level, DRR falling with distance,
    high frequencies absorbed a little more for far sources."""
    critical = 0.057 * np.sqrt(200.0 / rt60)  # critical distance of a ~200 m^3 room
    drr = 20 * np.log10(critical / distance_m)
    ir = room_impulse_response(rt60, drr, FS, int(rng.integers(2**31)))
    y = oaconvolve(x, ir)[: x.size]
    if distance_m > 4:
        cutoff = max(3000.0, 7500.0 - 300 * distance_m)
        y = sosfilt(butter(2, cutoff, "lowpass", fs=FS, output="sos"), y)
    return y / max(distance_m, 0.5)


# ---------------------------------------------------------------- noise building blocks


def shaped_noise(rng: np.random.Generator, n: int, points: list[tuple[float, float]]) -> np.ndarray:
    """Gaussian noise whose power spectrum follows (frequency Hz, dB) points (log-interpolated)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / FS)
    fx = np.log10(np.array([p[0] for p in points]))
    gain_db = np.interp(np.log10(np.maximum(f, points[0][0])), fx, [p[1] for p in points])
    y = np.fft.irfft(spectrum * 10 ** (gain_db / 20), n)
    return y / np.sqrt(np.mean(y**2))


def slow_process(rng: np.random.Generator, n: int, tau_s: float, sigma: float) -> np.ndarray:
    """Ornstein-Uhlenbeck process (mean 0, std sigma, correlation time tau) at FS."""
    step = 100  # compute at 160 Hz and interpolate
    m = n // step + 2
    a = np.exp(-step / (tau_s * FS))
    w = rng.standard_normal(m) * sigma * np.sqrt(1 - a * a)
    z = lfilter([1.0], [1.0, -a], w, zi=[a * rng.normal(0, sigma)])[0]
    return np.interp(np.arange(n), np.arange(m) * step, z)


def resonance(x: np.ndarray, f0: float, q: float, gain_db: float) -> np.ndarray:
    """Add a band-pass copy (a resonance at f0 with quality q) at a relative gain."""
    bw = f0 / q
    sos = butter(1, [max(f0 - bw / 2, 5.0), f0 + bw / 2], "bandpass", fs=FS, output="sos")
    return x + 10 ** (gain_db / 20) * sosfilt(sos, x)


def decaying_modes(rng: np.random.Generator, freqs, decays_s, length_s: float) -> np.ndarray:
    t = np.arange(int(length_s * FS)) / FS
    out = np.zeros(t.size)
    for f, d in zip(freqs, decays_s, strict=True):
        out += (
            rng.uniform(0.3, 1.0)
            * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
            * (np.exp(-t / d))
        )
    click = rng.standard_normal(t.size) * np.exp(-t / 0.002)
    return out + 0.5 * click


def add_at(out: np.ndarray, x: np.ndarray, start: int) -> None:
    if start >= out.size:
        return
    end = min(out.size, start + x.size)
    out[max(start, 0) : end] += x[max(0, -start) : end - start]


def level(x: np.ndarray, db: float) -> np.ndarray:
    """Scale to an RMS level in dB (relative units, set before the final normalisation)."""
    return x / (np.sqrt(np.mean(x**2)) + 1e-12) * 10 ** (db / 20)


def engine(rng: np.random.Generator, rpm: np.ndarray, cylinders: int = 4) -> np.ndarray:
    """Harmonics of a four-stroke engine: firing order cylinders/2 dominant, half orders weak."""
    rev_hz = rpm / 60.0
    phase = 2 * np.pi * np.cumsum(rev_hz) / FS
    out = np.zeros(rpm.size)
    firing = cylinders / 2
    for k in range(1, 41):
        order = k * 0.5
        if order * rev_hz.max() > FS / 2 * 0.9:
            break
        strength = 1.0 if order % firing == 0 else 0.25 if order % 1 == 0 else 0.08
        strength *= (order / firing) ** -1.2 if order >= firing else 0.6
        wobble = 1 + 0.15 * slow_process(rng, rpm.size, 0.7, 1.0)
        out += strength * wobble * np.sin(order * phase + rng.uniform(0, 2 * np.pi))
    return out


def moving_source(src: np.ndarray, d0: float, speed: float, t0: float, c: float = 343.0):
    """Received signal of a source passing at closest distance d0 (m), speed (m/s), time t0 (s):
    1/r spreading and Doppler by a time-varying propagation delay."""
    n = src.size
    t = np.arange(n) / FS
    r = np.sqrt(d0**2 + (speed * (t - t0)) ** 2)
    emitted = t - r / c
    y = np.interp(emitted * FS, np.arange(n), src, left=0.0, right=0.0)
    return y * (d0 / r)


# ---------------------------------------------------------------- scenes


def crowd(rng: np.random.Generator, n: int) -> np.ndarray:
    """A large crowd in a hall: 32 talkers at 3-15 m, most of them in conversations."""
    rt60 = 1.0
    out = np.zeros(n)
    for _ in range(32):
        distance = float(rng.uniform(3.0, 15.0))
        voice = random_voice(rng, foreign=0.3)
        x = talker(rng, n, voice, talk_share=rng.uniform(0.45, 0.7))
        x *= 10 ** (rng.normal(0, 3) / 20)  # loud and soft talkers
        out += in_room(rng, x, rt60 * rng.uniform(0.9, 1.1), distance)
    out += level(
        shaped_noise(rng, n, [(20, 0), (100, 0), (500, -10), (4000, -30), (8000, -40)]),
        20 * np.log10(np.sqrt(np.mean(out**2))) - 25,
    )
    return out


def car(rng: np.random.Generator, n: int) -> np.ndarray:
    """Passenger-car cabin at about 100 km/h: engine, tyre/road, wind, traffic passing."""
    speed_kmh = 100 + 8 * slow_process(rng, n, 20.0, 1.0)
    rpm = 2500 * speed_kmh / 100 * (1 + 0.01 * slow_process(rng, n, 1.0, 1.0))
    eng = engine(rng, rpm)
    eng = sosfilt(butter(2, 400, "lowpass", fs=FS, output="sos"), eng)  # firewall, body mass
    road = shaped_noise(
        rng, n,
        [(15, -8), (30, 0), (60, 0), (120, -4), (250, -12), (500, -18), (900, -20),
         (1400, -28), (3000, -40), (6000, -52), (8000, -58)],
    )  # fmt: skip
    for f0, q, g in ((32, 4, 6), (48, 5, 4), (85, 4, 3)):  # cabin boom modes
        road = resonance(road, f0, q, g)
    surface_db = np.repeat(rng.normal(0, 1.8, n // (6 * FS) + 2), 6 * FS)[:n]
    surface_db = np.convolve(surface_db, np.ones(FS // 2) / (FS // 2), mode="same")
    road *= 10 ** ((surface_db + 1.0 * slow_process(rng, n, 0.5, 1.0)) / 20)
    # Expansion joints / potholes: two damped thumps, front then rear axle (2.7 m apart).
    t = 0
    while True:
        t += int(rng.uniform(6, 20) * FS)
        if t >= n:
            break
        thump = decaying_modes(rng, [rng.uniform(25, 60), rng.uniform(80, 140)], [0.08, 0.04], 0.4)
        thump = sosfilt(butter(2, 300, "lowpass", fs=FS, output="sos"), thump)
        gap = int(2.7 / (speed_kmh[min(t, n - 1)] / 3.6) * FS)
        add_at(road, 4.0 * thump, t)
        add_at(road, 3.0 * thump, t + gap)
    wind = shaped_noise(
        rng, n, [(20, -30), (100, -12), (300, 0), (1000, -6), (3000, -18), (8000, -36)]
    )
    wind *= 10 ** (2.5 * slow_process(rng, n, 1.5, 1.0) / 20)  # gusts
    out = level(road, 0) + level(eng, -7) + level(wind, -12)
    # Oncoming and overtaking vehicles: broadband swell with Doppler.
    t = 0
    while True:
        t += int(rng.exponential(9) * FS) + FS
        if t >= n:
            break
        window = 8 * FS
        src = shaped_noise(rng, window, [(30, 0), (200, -6), (800, -8), (2000, -18), (8000, -40)])
        truck = rng.random() < 0.3
        pass_by = moving_source(src, rng.uniform(3, 6), rng.uniform(40, 60) if truck else 30, 4.0)
        pass_by = sosfilt(butter(2, 1500, "lowpass", fs=FS, output="sos"), pass_by)  # glazing
        add_at(out, pass_by * (0.9 if truck else 0.45), t - 4 * FS)
    return out


def vehicle_source(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """Sound of a road vehicle at the kerb: tyres plus engine, by vehicle type."""
    tyres = shaped_noise(
        rng, n, [(30, -12), (100, -6), (400, -3), (900, 0), (1500, -4), (4000, -16), (8000, -30)]
    )
    rpm_base = {"car": 1800, "truck": 1300, "motorbike": 4500}[kind]
    rpm = rpm_base * (1 + 0.05 * slow_process(rng, n, 1.0, 1.0))
    cylinders = {"car": 4, "truck": 6, "motorbike": 2}[kind]
    eng = engine(rng, rpm, cylinders)
    eng_db = {"car": -6, "truck": 2, "motorbike": 4}[kind]
    return level(tyres, 0) + level(eng, eng_db)


def street(rng: np.random.Generator, n: int) -> np.ndarray:
    """A city pavement next to a two-lane road: pass-bys, distant traffic, horns, passers-by."""
    rumble = shaped_noise(
        rng, n, [(20, -6), (60, 0), (120, 0), (500, -8), (1000, -10), (3000, -20), (8000, -36)]
    )
    rumble *= 10 ** (2.0 * slow_process(rng, n, 4.0, 1.0) / 20)
    out = level(rumble, -6)
    t = -3 * FS
    while True:
        t += int(rng.exponential(3.5) * FS)
        if t >= n + 3 * FS:
            break
        kind = str(rng.choice(["car", "truck", "motorbike"], p=[0.75, 0.15, 0.10]))
        window = 12 * FS
        src = vehicle_source(rng, window, kind)
        speed = rng.uniform(8, 15)
        lane = rng.choice([3.0, 6.5]) + rng.uniform(-0.5, 0.5)
        y = moving_source(src, lane, speed, 6.0)
        gain = {"car": 1.0, "truck": 2.0, "motorbike": 1.6}[kind] * rng.uniform(0.7, 1.3)
        y = y * gain * 3.0 / lane
        add_at(out, y, t - 6 * FS)
    # Horns: two-tone harmonic, short, somewhat distant (street canyon reverb).
    t = 0
    while True:
        t += int(rng.exponential(25) * FS) + 5 * FS
        if t >= n:
            break
        dur = rng.uniform(0.2, 0.9)
        tt = np.arange(int(dur * FS)) / FS
        horn = sum(
            (1 / k) * np.sign(np.sin(2 * np.pi * f * k * tt))
            for f in (rng.uniform(380, 420), rng.uniform(470, 520))
            for k in (1, 2, 3)
        )
        horn *= np.minimum(1, np.minimum(tt / 0.01, (dur - tt) / 0.02))
        horn = sosfilt(butter(2, [300, 3500], "bandpass", fs=FS, output="sos"), horn)
        add_at(out, in_room(rng, horn, 0.5, rng.uniform(15, 50)) * 0.6, t)
    # Passers-by talking and footsteps, a few at a time.
    for _ in range(6):
        voice = random_voice(rng, foreign=0.2)
        seg = int(rng.uniform(6, 12) * FS)
        speech = talker(rng, seg, voice, 0.7)
        env = np.sin(np.pi * np.arange(seg) / seg) ** 2  # walks towards, then away
        start = int(rng.uniform(0, max(1, n - seg)))
        add_at(out, in_room(rng, speech * env, 0.4, rng.uniform(2, 5)) * 0.25, start)
        steps = np.zeros(seg)
        for s in np.arange(0, seg - 2000, int(FS / rng.uniform(1.7, 2.1))):
            steps[s : s + 800] += rng.standard_normal(800) * np.exp(-np.arange(800) / 120)
        steps = sosfilt(butter(2, [150, 3000], "bandpass", fs=FS, output="sos"), steps)
        add_at(out, steps * env * 0.05, start)
    wind = shaped_noise(rng, n, [(10, 0), (50, -3), (150, -15), (500, -30), (8000, -60)])
    out += level(wind, -14) * 10 ** (4 * slow_process(rng, n, 2.0, 1.0) / 20)
    return out


def cafe(rng: np.random.Generator, n: int) -> np.ndarray:
    """A busy cafe: nearby conversations, distant chatter, dishes, espresso machine, chairs."""
    rt60 = 0.6
    out = np.zeros(n)
    for i in range(16):
        near = i < 5
        distance = rng.uniform(1.5, 4.0) if near else rng.uniform(4.0, 10.0)
        x = talker(rng, n, random_voice(rng, foreign=0.25), rng.uniform(0.4, 0.6))
        out += in_room(rng, x * 10 ** (rng.normal(0, 2.5) / 20), rt60, distance)
    voices = np.sqrt(np.mean(out**2))
    events = np.zeros(n)
    t = 0
    while True:  # cutlery and crockery
        t += int(rng.exponential(1.4) * FS)
        if t >= n:
            break
        if rng.random() < 0.6:  # spoon on cup, fork on plate: bright, short
            freqs = rng.uniform(2000, 7500, int(rng.integers(3, 7)))
            sound = decaying_modes(rng, freqs, rng.uniform(0.03, 0.25, freqs.size), 0.6)
        else:  # cup on saucer, plates stacked: lower modes, a bounce or two
            freqs = rng.uniform(700, 3500, int(rng.integers(3, 6)))
            sound = decaying_modes(rng, freqs, rng.uniform(0.05, 0.3, freqs.size), 0.8)
            bounce = int(rng.uniform(0.04, 0.12) * FS)
            sound[bounce:] += 0.5 * sound[: sound.size - bounce]
        sound *= 10 ** (rng.uniform(-14, 0) / 20)
        add_at(events, in_room(rng, sound, rt60, rng.uniform(2, 9)), t)
    out += level(events, 20 * np.log10(voices) - 14)
    machine = np.zeros(n)
    t = int(rng.uniform(2, 10) * FS)
    while t < n:  # espresso machine: steam wand or grinder
        if rng.random() < 0.6:
            dur = int(rng.uniform(3, 9) * FS)
            hiss = shaped_noise(
                rng, dur, [(200, -30), (1000, -12), (3000, 0), (6000, -2), (8000, -6)]
            )
            hiss *= 10 ** (3 * slow_process(rng, dur, 0.15, 1.0) / 20)  # gurgling milk
        else:
            dur = int(rng.uniform(4, 8) * FS)
            buzz = engine(rng, np.full(dur, 2850.0) * (1 + 0.01 * rng.standard_normal()), 2)
            crunch = shaped_noise(
                rng, dur, [(100, -20), (500, -6), (2000, 0), (6000, -10), (8000, -20)]
            )
            hiss = level(buzz, 0) + level(crunch, -3)
        ramp = np.minimum(
            1, np.minimum(np.arange(dur) / (0.2 * FS), (dur - np.arange(dur)) / (0.3 * FS))
        )
        add_at(machine, in_room(rng, hiss * ramp, rt60, rng.uniform(4, 8)), t)
        t += dur + int(rng.uniform(10, 30) * FS)
    out += level(machine, 20 * np.log10(voices) - 12)
    t = 0
    while True:  # chairs scraping on the floor
        t += int(rng.exponential(12) * FS)
        if t >= n:
            break
        dur = int(rng.uniform(0.3, 0.9) * FS)
        f = np.linspace(rng.uniform(300, 700), rng.uniform(500, 1200), dur)
        scrape = np.sin(2 * np.pi * np.cumsum(f) / FS) * (1 + rng.standard_normal(dur) * 0.8)
        scrape *= np.hanning(dur)
        add_at(out, in_room(rng, scrape, rt60, rng.uniform(2, 6)) * voices * 0.6, t)
    hvac = shaped_noise(rng, n, [(20, 0), (100, -3), (400, -10), (2000, -25), (8000, -40)])
    out += level(hvac, 20 * np.log10(voices) - 18)
    return out


SCENES = {"crowd": crowd, "car": car, "street": street, "cafe": cafe}


# ---------------------------------------------------------------- measurement


def measure(x: np.ndarray, rate: int) -> dict:
    """What noise_samples/README.md reports: spectrum shape, level fluctuation, modulation."""
    x = np.asarray(x, dtype=np.float64)
    f, p = welch(x, rate, nperseg=4096)
    total = np.sum(p)
    octaves = {}
    for centre in (63, 125, 250, 500, 1000, 2000, 4000):
        band = (f >= centre / np.sqrt(2)) & (f < centre * np.sqrt(2))
        octaves[str(centre)] = round(float(10 * np.log10(np.sum(p[band]) / total + 1e-20)), 1)
    frame = rate // 8  # 125 ms "fast" frames
    frames = x[: x.size // frame * frame].reshape(-1, frame)
    levels = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    l10, l90 = np.percentile(levels, [90, 10])
    env = np.abs(hilbert(sosfilt(butter(4, [300, 4000], "bandpass", fs=rate, output="sos"), x)))
    env = resample_poly(env, 100, rate)  # envelope at 100 Hz
    fm, pm = welch(env - env.mean(), 100, nperseg=512)
    band = (fm >= 2) & (fm <= 8)
    mod = float(np.sqrt(2 * np.sum(pm[band]) * (fm[1] - fm[0])) / env.mean())
    centroid = float(np.sum(f * p) / total)
    return {
        "rms_dbfs": round(float(10 * np.log10(np.mean(x**2))), 1),
        "octave_band_db": octaves,
        "spectral_centroid_hz": round(centroid),
        "L10_minus_L90_db": round(float(l10 - l90), 1),
        "level_std_db": round(float(np.std(levels)), 1),
        "modulation_index_2_8hz": round(mod, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "noise_samples"
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--scenes", default=",".join(SCENES))
    parser.add_argument("--measure", nargs="*", help="only measure these audio files")
    args = parser.parse_args()
    if args.measure is not None:
        for path in args.measure:
            x, rate = sf.read(path, dtype="float64", always_2d=True)
            print(path, json.dumps(measure(x.mean(axis=1), rate)))
        return
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed: apt-get install espeak-ng")
    args.out.mkdir(parents=True, exist_ok=True)
    n = int(args.seconds * FS)
    for name in args.scenes.split(","):
        rng = np.random.default_rng(SEEDS[name])
        x = SCENES[name](rng, n)
        x = sosfilt(butter(2, 20, "highpass", fs=FS, output="sos"), x)  # no DC / subsonic
        x *= 10 ** (TARGET_RMS_DB / 20) / np.sqrt(np.mean(x**2))
        peak = np.max(np.abs(x))
        if peak > 0.98:
            x *= 0.98 / peak
        fade = int(0.05 * FS)
        x[:fade] *= np.linspace(0, 1, fade)
        x[-fade:] *= np.linspace(1, 0, fade)
        path = args.out / f"{name}.flac"
        sf.write(path, x.astype(np.float32), FS, format="FLAC", subtype="PCM_16")
        print(path, json.dumps(measure(x, FS)), flush=True)


if __name__ == "__main__":
    main()
