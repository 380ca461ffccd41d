"""Talkers for the babble scenes, from real speakers' synthetic voices (flite, Festival).

Each talker is one of seven English base voices under permissive (BSD-style) licences,
made into a different person by vocal-tract and pitch scaling (resampling), F0 targets and
speaking rate, speaking in turns with pauses. The synthesisers are Debian packages, needed
only to render crowd and cafe scenes (`check_synthesizers` names them when one is
missing); the library and its tests never call them. Every scene's dry talkers are
equalised together to the long-term average speech spectrum (Byrne et al. 1994).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly, welch

from augment.audio.scenes.blocks import FS
from augment.audio.scenes.measure import CENTRES_HZ, LTASS_BYRNE_1994, effort_tilt_db
from augment.core.errors import AugsynthError

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
    """Raise with one line naming the apt packages if a synthesiser or a voice is missing."""
    missing = [tool for tool in ("flite", "festival") if shutil.which(tool) is None]
    if not missing:
        flite_voices = subprocess.run(["flite", "-lv"], capture_output=True, text=True).stdout
        installed = {p.name for p in Path("/usr/share/festival/voices").glob("*/*")}
        for engine, name, *_ in BASE_VOICES:
            if name not in (flite_voices.split() if engine == "flite" else installed):
                missing.append(f"{engine} voice {name}")
    if missing:
        raise AugsynthError(f"missing {', '.join(missing)}: apt-get install {APT_PACKAGES}")


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
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
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
# The LTASS up to 8 kHz: the 6.3 kHz table of measure.py plus Byrne's 8 kHz band.
LTASS_CENTRES_HZ = np.append(CENTRES_HZ, 8000.0)
LTASS_DB = np.append(LTASS_BYRNE_1994, 43.0)


def ltass_correction(x: np.ndarray, effort: str = "normal") -> np.ndarray:
    """1/3-octave correction (dB) that gives the long-term spectrum of x the human LTASS shape
    at the given vocal effort (measure.effort_tilt_db; "normal" is the LTASS itself).

    Computed once per scene on the sum of its dry talkers (Byrne et al. average over many
    talkers, not each one), so that the synthesisers' colouration (diphone/vocoder
    brightness or dullness) is removed while the differences between talkers (sex, vocal
    tract length) remain.  Clipped to +-10 dB.
    """
    f, p = welch(x, FS, nperseg=2048)
    centres = LTASS_CENTRES_HZ
    measured = np.array(
        [np.sum(p[(f >= c / 2 ** (1 / 6)) & (f < c * 2 ** (1 / 6))]) for c in centres]
    )
    target_db = LTASS_DB if effort == "normal" else LTASS_DB + effort_tilt_db(effort, centres)
    target = 10 ** (target_db / 10)
    corr_db = 10 * np.log10(target / target.sum()) - 10 * np.log10(measured / measured.sum())
    return np.clip(corr_db - np.median(corr_db), -10, 10)


def equalise(x: np.ndarray, corr_db: np.ndarray) -> np.ndarray:
    """Apply a smooth 1/3-octave correction (interpolated on a log-frequency axis)."""
    centres = LTASS_CENTRES_HZ
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


def babble(
    rng: np.random.Generator, n: int, talkers: list[dict], passes: int = 1, effort: str = "normal"
) -> list[np.ndarray]:
    """Dry tracks of the given talkers (dicts with voice, share, gain_db, seconds),
    scaled by their gains and together equalised to the LTASS at the vocal `effort`.

    One pass of the smooth correction leaves a few talkers' F0 peaks between band centres
    (+-9 dB in a 1/3-octave band with 3 talkers); each further pass measures the corrected
    sum again and corrects what is left.
    """
    tracks = []
    for spec in talkers:
        m = int(spec.get("seconds", n / FS) * FS)
        x = talker(rng, m, spec["voice"], spec["share"]) * 10 ** (spec["gain_db"] / 20)
        tracks.append(x)
    for _ in range(passes):
        total = np.zeros(max(x.size for x in tracks))
        for x in tracks:
            total[: x.size] += x
        corr = ltass_correction(total, effort)
        tracks = [equalise(x, corr) for x in tracks]
    return tracks
