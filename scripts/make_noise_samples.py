"""Generate the bundled background scenes in noise_samples/ (crowd, car, street, cafe).

Every scene is synthesised from physically or perceptually motivated source models, seeded,
so this script reproduces the FLAC files byte for byte on the same library versions:

- voices: natural-sounding synthesisers built from recordings of real speakers (flite
  clustergen and diphone voices, Festival diphone and HTS voices, all English and all under
  permissive BSD-style licences), each base voice made into many talkers by vocal-tract
  and pitch scaling (resampling), F0 targets and speaking rate; every scene's talkers are
  together equalised to the long-term average speech spectrum; each talker is placed in a
  room (synthetic impulse response, distance -> level and direct-to-reverberant ratio) and
  speaks in turns with pauses;
- engines: harmonic series of the firing frequency of a four-stroke engine whose speed
  wanders slowly; tyres and road: shaped Gaussian noise with cabin resonances, surface
  changes and expansion-joint thumps; wind: gusty band-limited turbulence;
- vehicles passing by: moving sources with 1/r spreading and Doppler (variable delay);
- cafe events: dish and cutlery clinks (decaying inharmonic modes), espresso steam and
  grinder, chair scrapes, ventilation.

Needs (Debian/Ubuntu) for crowd, street and cafe; car needs none of them:
    apt-get install flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
Made with flite 2.2 and festival 2.5.0 (Debian packages); other versions give other bytes.

Usage: python scripts/make_noise_samples.py [--out noise_samples] [--seconds 60]
           [--scenes crowd,car,street,cafe] [--measure FILE ...]
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
# Base voices: recorded human speakers rendered by diphone concatenation (Festival, flite
# kal16), statistical parametric synthesis trained on hours of one speaker (flite clustergen
# awb/rms/slt, Festival HTS slt).  Only voices under permissive (BSD-style) licences: the
# diphone voices are made of fragments of recordings, so their licence reaches the output.
# (engine, voice, sex, F0 controllable)
# F0 control: flite int_f0_target_mean works for kal16 and awb; Festival int_lr_params for
# the English diphone voices.  Other voices keep their own F0, moved by the resampling.
BASE_VOICES = (
    ("flite", "kal16", "m", True),
    ("flite", "awb", "m", True),
    ("flite", "rms", "m", False),
    ("flite", "slt", "f", False),
    ("festival", "kal_diphone", "m", True),
    ("festival", "ked_diphone", "m", True),
    ("festival", "cmu_us_slt_arctic_hts", "f", False),
)
APT_PACKAGES = "flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts"


def check_synthesizers() -> None:
    """Exit with one line naming the apt packages if a synthesiser or a voice is missing."""
    missing = [tool for tool in ("flite", "festival") if shutil.which(tool) is None]
    if not missing:
        flite_voices = subprocess.run(["flite", "-lv"], capture_output=True, text=True).stdout
        installed = {p.name for p in Path("/usr/share/festival/voices").glob("*/*")}
        for engine, name, *_ in BASE_VOICES:
            if name not in (flite_voices.split() if engine == "flite" else installed):
                missing.append(f"{engine} voice {name}")
    if missing:
        sys.exit(f"missing {', '.join(missing)}: apt-get install {APT_PACKAGES}")


def sentence(rng: np.random.Generator) -> str:
    if rng.random() < 0.2:
        return str(rng.choice(REPLIES))
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}{rng.choice(TAGS)}"
    s = s[0].upper() + s[1:]
    return s + str(rng.choice((".", ".", "!", "?")))


def random_voice(rng: np.random.Generator) -> dict:
    """A talker: a base voice made into a different person.

    Sex is drawn 50/50.  `scale` multiplies every frequency of the voice (formants and F0)
    by resampling, i.e. a shorter or longer vocal tract: within one sex adult vocal-tract
    lengths differ by about +-7%, and women's formants are 15-20% above men's, so female
    talkers are also made from the male English voices with scale 1.12-1.22 plus a female
    F0.  `f0` is the mean pitch asked of the synthesiser (after scaling), `stretch` the
    speaking rate as a duration factor (conversational rates differ by about +-20%).
    """
    female = rng.random() < 0.5
    sex = "f" if female else "m"
    same_sex = [v for v in BASE_VOICES if v[2] == sex]
    if female and rng.random() < 0.6:
        base = [v for v in BASE_VOICES if v[3]]  # a male voice, shifted up
        engine, name, _, f0_control = base[int(rng.integers(len(base)))]
        scale = rng.uniform(1.12, 1.22)
    else:
        engine, name, _, f0_control = same_sex[int(rng.integers(len(same_sex)))]
        scale = rng.uniform(0.93, 1.07)
    f0 = float(np.clip(rng.normal(205, 25) if female else rng.normal(115, 18), 80, 270))
    return {
        "engine": engine,
        "voice": name,
        "scale": round(float(scale), 3),
        "f0": round(f0) if f0_control else None,
        "f0_std": round(f0 * rng.uniform(0.12, 0.22)) if f0_control else None,
        "stretch": round(float(rng.uniform(0.85, 1.2)), 3),
    }


def _to_fs(x: np.ndarray, rate: int, scale: float) -> np.ndarray:
    """Play a clip synthesised at `rate` as if it had been recorded at rate*scale, at FS:
    every frequency is multiplied by `scale` (ratio quantised to 25 Hz steps)."""
    src = round(rate * scale / 25.0) * 25
    g = np.gcd(FS, src)
    x = resample_poly(x, FS // g, src // g)
    nz = np.nonzero(np.abs(x) > 1e-3)[0]
    return x[nz[0] : nz[-1] + 1] if nz.size else x


def synthesize(texts: list[str], voice: dict, stretches: list[float]) -> list[np.ndarray]:
    """Utterances of one talker at FS, with the voice's scale, F0 and speaking rate.

    The synthesiser is asked for stretch*scale times the normal duration so that the
    resampled result has the talker's rate.
    """
    s = voice["scale"]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if voice["engine"] == "flite":
            for i, (text, st) in enumerate(zip(texts, stretches, strict=True)):
                cmd = [
                    "flite",
                    "-voice",
                    voice["voice"],
                    "--setf",
                    f"duration_stretch={st * s:.3f}",
                ]
                if voice["f0"] is not None:
                    cmd += ["--setf", f"int_f0_target_mean={voice['f0'] / s:.1f}"]
                    cmd += ["--setf", f"int_f0_target_stddev={voice['f0_std'] / s:.1f}"]
                cmd += ["-t", text, "-o", str(tmp / f"{i}.wav")]
                subprocess.run(cmd, check=True, capture_output=True)
        else:
            lines = [f"(voice_{voice['voice']})"]
            if voice["f0"] is not None:
                f0, sd = voice["f0"] / s, voice["f0_std"] / s
                lines.append(
                    f"(set! int_lr_params '((target_f0_mean {f0:.1f}) (target_f0_std {sd:.1f})"
                    " (model_f0_mean 170) (model_f0_std 34)))"
                )
            for i, (text, st) in enumerate(zip(texts, stretches, strict=True)):
                lines.append(f"(Parameter.set 'Duration_Stretch {st * s:.3f})")
                wav = tmp / f"{i}.wav"
                lines.append(
                    f'(utt.save.wave (utt.synth (Utterance Text "{text}")) "{wav}" \'riff)'
                )
            (tmp / "say.scm").write_bytes("\n".join(lines).encode("latin-1"))
            subprocess.run(
                ["festival", "-b", str(tmp / "say.scm")], check=True, capture_output=True
            )
        for i in range(len(texts)):
            x, rate = sf.read(tmp / f"{i}.wav", dtype="float64")
            out.append(_to_fs(x, rate, s))
    return out


# Long-term average speech spectrum, 1/3-octave band levels in dB (shape after Byrne et al.,
# "An international comparison of long-term average speech spectra", JASA 1994, rounded).
LTASS_THIRD_OCTAVE = (
    (100, 54.0), (125, 57.5), (160, 57.0), (200, 58.0), (250, 59.5), (315, 60.0), (400, 62.0),
    (500, 62.5), (630, 60.5), (800, 56.0), (1000, 53.5), (1250, 53.5), (1600, 52.0),
    (2000, 49.0), (2500, 48.0), (3150, 47.0), (4000, 45.5), (5000, 45.0), (6300, 44.0),
    (8000, 43.0),
)  # fmt: skip


def ltass_correction(x: np.ndarray) -> np.ndarray:
    """1/3-octave correction (dB) that gives the long-term spectrum of x the human LTASS shape.

    Computed once per scene on the sum of its dry talkers (Byrne et al. average over many
    talkers, not each one), so that the synthesisers' colouration (diphone/vocoder
    brightness or dullness) is removed while the differences between talkers (sex, vocal
    tract length) remain.  Clipped to +-10 dB.
    """
    f, p = welch(x, FS, nperseg=2048)
    centres = np.array([c for c, _ in LTASS_THIRD_OCTAVE], dtype=float)
    measured = np.array(
        [np.sum(p[(f >= c / 2 ** (1 / 6)) & (f < c * 2 ** (1 / 6))]) for c in centres]
    )
    target = 10 ** (np.array([v for _, v in LTASS_THIRD_OCTAVE]) / 10)
    corr_db = 10 * np.log10(target / target.sum()) - 10 * np.log10(measured / measured.sum())
    return np.clip(corr_db - np.median(corr_db), -10, 10)


def equalise(x: np.ndarray, corr_db: np.ndarray) -> np.ndarray:
    """Apply a smooth 1/3-octave correction (interpolated on a log-frequency axis)."""
    centres = np.array([c for c, _ in LTASS_THIRD_OCTAVE], dtype=float)
    fx = np.fft.rfftfreq(x.size, 1 / FS)
    gain = np.interp(np.log10(np.maximum(fx, 50)), np.log10(centres), corr_db)
    return np.fft.irfft(np.fft.rfft(x) * 10 ** (gain / 20), x.size)


def talker(rng: np.random.Generator, n: int, voice: dict, talk_share: float) -> np.ndarray:
    """A talker in a conversation: utterances separated by pauses (listening turns).

    `talk_share` is the fraction of time spent talking (about 0.5 in a two-way chat);
    each utterance is one to three sentences, its rate varies by +-5% and its level by
    about 2 dB around the talker's own, as natural speech does.  Dry (no room), unit RMS
    while talking.
    """
    out = np.zeros(n)
    pending: list[np.ndarray] = []
    t = int(rng.uniform(0, 3.0) * FS)
    while t < n:
        if not pending:  # synthesise a batch of utterances (one synthesiser run)
            counts = rng.integers(1, 4, 6)
            texts = [" ".join(sentence(rng) for _ in range(c)) for c in counts]
            stretches = list(voice["stretch"] * rng.uniform(0.95, 1.05, len(texts)))
            pending = synthesize(texts, voice, stretches)
        utterance = pending.pop(0)
        utterance = utterance / (np.sqrt(np.mean(utterance**2)) + 1e-12)
        utterance *= 10 ** (rng.normal(0, 2.0) / 20)
        end = min(n, t + utterance.size)
        out[t:end] += utterance[: end - t]
        speak = utterance.size / FS
        pause = rng.exponential(speak * (1 - talk_share) / talk_share) + rng.uniform(0.2, 0.6)
        t = end + int(pause * FS)
    return out


def babble(rng: np.random.Generator, n: int, talkers: list[dict]) -> list[np.ndarray]:
    """Dry tracks of the given talkers (dicts with voice, share, gain_db, seconds),
    scaled by their gains and together equalised to the LTASS."""
    tracks = []
    for spec in talkers:
        m = int(spec.get("seconds", n / FS) * FS)
        x = talker(rng, m, spec["voice"], spec["share"]) * 10 ** (spec["gain_db"] / 20)
        tracks.append(x)
    total = np.zeros(max(x.size for x in tracks))
    for x in tracks:
        total[: x.size] += x
    corr = ltass_correction(total)
    return [equalise(x, corr) for x in tracks]


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
    specs = [
        {
            "voice": random_voice(rng),
            "share": rng.uniform(0.45, 0.7),
            "gain_db": rng.normal(0, 3),  # loud and soft talkers
        }
        for _ in range(32)
    ]
    out = np.zeros(n)
    for x in babble(rng, n, specs):
        distance = float(rng.uniform(3.0, 15.0))
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
    specs = [
        {
            "voice": random_voice(rng),
            "share": 0.7,
            "gain_db": 0.0,
            "seconds": rng.uniform(6, 12),
        }
        for _ in range(6)
    ]
    for speech in babble(rng, n, specs):
        seg = speech.size
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
    specs = [
        {
            "voice": random_voice(rng),
            "share": rng.uniform(0.4, 0.6),
            "gain_db": rng.normal(0, 2.5),
        }
        for _ in range(16)
    ]
    for i, x in enumerate(babble(rng, n, specs)):
        near = i < 5
        distance = rng.uniform(1.5, 4.0) if near else rng.uniform(4.0, 10.0)
        out += in_room(rng, x, rt60, distance)
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
    parser.add_argument("--measure", nargs="+", help="only measure these audio files")
    args = parser.parse_args()
    if args.measure is not None:
        for path in args.measure:
            x, rate = sf.read(path, dtype="float64", always_2d=True)
            print(path, json.dumps(measure(x.mean(axis=1), rate)))
        return
    if set(args.scenes.split(",")) & {"crowd", "street", "cafe"}:
        check_synthesizers()
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
