"""Real crowd, market and city recordings for testing speech robustness, from Debian packages.

The only real noise in ../shared/data is 4.5 s of one café, too little to tell two
augmentations apart. Debian's game-data packages carry field recordings of crowds, markets
and streets; this module fetches them for the speech benchmark's test set. They are test
data only: never bundled, never committed, never used to make or tune `noise_samples/`.

The set was fixed by a rule, written down before any benchmark result on it was seen:
every sound file in Debian 12 packages of under 50 MB whose name names a crowd, market,
city or street scene (`apt-file search`, names matching crowd, market, city, street,
murmur, pubblico, restaurant, traffic, chatter), that is a recording of the scene (not a
spoken word or a music track) and at least 3 s long. That leaves six sources below; a
source with several files counts once (the benchmark draws one of its files per test clip).
No car recording passes the rule, so car noise is not tested.

`fetch()` runs `apt-get download` and unpacks only the listed files, with each package's
copyright file, into <cache>/bench/real-noise (<cache> = $AUGSYNTH_CACHE_DIR or
~/.cache/augsynth). It needs Debian's apt (run `apt-get update` once first on a new
machine) and downloads about 120 MB once.

    python benchmarks/real_noise.py     # fetch, then measure them beside the bundled scenes

Run as a script it measures each source (each file at 16 kHz, then averaged over the
source's files), the bundled variants and white/pink/brown noise with the measures of
augment.audio.scenes.measure (1/3-octave spectrum distance, 50 ms level fluctuation): a
report of how the generated scenes compare with real recordings, not a target. The scenes
must not be fitted to these files, which are the speech benchmark's test noise.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import soundfile as sf

from augment.audio.resampling import resample
from synth.fonts.coverage import cache_dir


@dataclass(frozen=True)
class RealNoiseSource:
    """One recorded scene: the Debian package it comes from and its files inside it."""

    name: str
    package: str
    folder: str
    files: tuple[str, ...]
    licence: str


SOURCES = (
    RealNoiseSource(
        "market",
        "lincity-ng-data",
        "usr/share/games/lincity-ng/sounds",
        ("MarketEmpty1.wav", "MarketFull1.wav", "MarketMed1.wav"),
        "GPL-2+ or CC BY-SA 2.0 (LinCity-NG sound effects)",
    ),
    RealNoiseSource(
        "city_scorched3d",
        "scorched3d-data",
        "usr/share/games/scorched3d/data/globalmods/apoc/data/wav/misc",
        ("citysounds.wav",),
        "CC BY-SA 3.0 (Scorched3D Apocalypse mod)",
    ),
    RealNoiseSource(
        "city_btanks",
        "btanks-data",
        "usr/share/games/btanks/data/sounds/ambient",
        ("city.ogg",),
        "GPL-2 with the Battle Tanks exception",
    ),
    RealNoiseSource(
        "stadium_crowd",
        "etw-data",
        "usr/share/games/etw/crowd",
        tuple(
            f"crowd{k:02d}.wav" for k in (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 16, 17)
        ),  # crowd10, 11 and 15 are under 3 s
        "GPL-2+ (Eat The Whistle)",
    ),
    RealNoiseSource(
        "tennis_audience",
        "freetennis-common",
        "usr/share/sounds/freetennis-common/sfx",
        ("pubblico.wav",),
        "GPL-2+ (Free Tennis)",
    ),
    RealNoiseSource(
        "concert_crowd",
        "lmms-common",
        "usr/share/lmms/samples/misc",
        ("raving_crowd01.ogg",),
        "GPL-2+ (LMMS samples)",
    ),
)


def noise_root() -> Path:
    return cache_dir() / "bench" / "real-noise"


def source_files(source: RealNoiseSource) -> list[Path]:
    return [noise_root() / source.name / f for f in source.files]


def missing_sources() -> list[RealNoiseSource]:
    return [s for s in SOURCES if not all(p.is_file() for p in source_files(s))]


def fetch() -> None:
    """Download and unpack every source not yet in the cache; RuntimeError with a one-line
    reason on failure (no apt-get or dpkg-deb, unknown package, no network)."""
    for source in missing_sources():
        try:
            _fetch_one(source)
        except (OSError, subprocess.CalledProcessError, tarfile.TarError) as error:
            raise RuntimeError(f"{source.package}: {error}") from None


def read_mono(path: Path, rate: int) -> np.ndarray:
    """A recording as mono float32 at `rate`."""
    x, file_rate = sf.read(path, dtype="float32", always_2d=True)
    return resample(x.mean(axis=1), file_rate, rate)


def _fetch_one(source: RealNoiseSource) -> None:
    """Download one source's package and unpack its files and copyright into the cache."""
    target = noise_root() / source.name
    with tempfile.TemporaryDirectory() as tmp:
        print(f"fetching {source.package} for {source.name}", file=sys.stderr)
        done = subprocess.run(
            ["apt-get", "download", source.package], cwd=tmp, capture_output=True, text=True
        )
        debs = list(Path(tmp).glob(f"{source.package}_*.deb"))
        if done.returncode != 0 or not debs:
            last = (done.stderr.strip().splitlines() or ["apt-get found nothing"])[-1]
            raise RuntimeError(
                f"apt-get download {source.package} failed ({last}); "
                "run `apt-get update` first, on a Debian machine"
            )
        wanted = {f"./{source.folder}/{f}": f for f in source.files}
        wanted[f"./usr/share/doc/{source.package}/copyright"] = "copyright"
        unpacked = Path(tmp) / "unpacked"
        unpacked.mkdir()
        tar = subprocess.run(
            ["dpkg-deb", "--fsys-tarfile", str(debs[0])], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            for member in archive.getmembers():
                if member.name in wanted and member.isfile():
                    data = archive.extractfile(member)
                    assert data is not None
                    (unpacked / wanted[member.name]).write_bytes(data.read())
        absent = [f for f in wanted.values() if not (unpacked / f).is_file()]
        if absent:
            raise RuntimeError(f"{debs[0].name} lacks {', '.join(absent)}")
        (unpacked / "SOURCE.txt").write_text(
            f"{debs[0].name}\n{source.licence}\nfiles: {', '.join(source.files)}\n"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        unpacked.rename(target)


def measured(paths: list[Path], rate: int) -> tuple[np.ndarray, float]:
    """1/3-octave levels (power mean over the files, each at equal level) and the mean
    level fluctuation of a source's files."""
    from augment.audio.scenes.measure import level_fluctuation_db, third_octave_levels

    levels, flucts = [], []
    for path in paths:
        x = read_mono(path, rate)
        band = third_octave_levels(x, rate)
        levels.append(10 ** ((band - 10 * np.log10(np.sum(10 ** (band / 10)))) / 10))
        flucts.append(level_fluctuation_db(x, rate))
    return 10 * np.log10(np.mean(levels, axis=0)), float(np.mean(flucts))


def main() -> None:
    """Print issue 19's two measures for every bundled variant and coloured noise, against
    the published spectra and the real recordings (a report, not a fit)."""
    try:
        fetch()
    except RuntimeError as error:
        sys.exit(f"real_noise: {error}")
    import soundfile

    from augment.audio.noise_bank import bundled_dir
    from augment.audio.scenes import FS, VARIANTS
    from augment.audio.scenes.measure import (
        TRAFFIC_EN1793_3,
        coloured_noise,
        spectrum_distance,
        speech_spectrum,
    )

    real = {s.name: measured(source_files(s), FS) for s in SOURCES}
    rows = [(p.stem, [p]) for p in sorted(bundled_dir().glob("*.flac"))]
    with tempfile.TemporaryDirectory() as tmp:
        for name, exponent in (("white", 0), ("pink", 1), ("brown", 2)):
            path = Path(tmp) / f"{name}.wav"
            soundfile.write(path, 0.05 * coloured_noise(exponent, 30, FS), FS)
            rows.append((f"{name} noise", [path]))
        table = [(name, *measured(paths, FS)) for name, paths in rows]
    print("spectrum distance (dB, 1/3-octave 100 Hz-6.3 kHz, level equalised) to the published")
    print("LTASS (tilted to a crowd variant's vocal effort, ANSI S3.5) and EN 1793-3 spectra and")
    print("to each real source; level fluctuation (std of 50 ms levels, dB) and its difference")
    print("from each real source's")
    short = dict(zip(real, ("market", "city_s3d", "city_bt", "stadium", "tennis", "concert"),
                     strict=True))  # fmt: skip
    print(f"{'file':<22}{'speech':>7}{'EN1793':>7}{'fluct':>7} | "
          + "".join(f"{short[k]:>13}" for k in real))  # fmt: skip
    rows = table + [(f"real {k}", *v) for k, v in real.items()]
    for name, levels, fluct in rows:
        variant = VARIANTS.get(name)
        effort = variant.params.get("vocal_effort", "normal") if variant else "normal"
        published = [
            spectrum_distance(levels, r) for r in (speech_spectrum(effort), TRAFFIC_EN1793_3)
        ]
        cells = [
            f"{spectrum_distance(levels, lv):>6.1f}/{abs(fluct - fl):<5.2f}"
            for lv, fl in real.values()
        ]
        print(f"{name:<22}{published[0]:>7.1f}{published[1]:>7.1f}{fluct:>7.2f} | "
              + "".join(f"{c:>13}" for c in cells))  # fmt: skip


if __name__ == "__main__":
    main()
