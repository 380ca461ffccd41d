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
source's files) and the bundled scenes with the measure of scripts/make_noise_samples.py
(octave-band shares, level spread L10-L90, syllable-rate modulation): a report of how the
generated scenes compare with real recordings, not a target. The scenes must not be fitted
to these files, which are the speech benchmark's test noise.
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


def main() -> None:
    try:
        fetch()
    except RuntimeError as error:
        sys.exit(f"real_noise: {error}")
    import warnings

    from augment.audio.noise_bank import BUNDLED_SCENES, bundled_dir

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from make_noise_samples import FS, measure

    bands = ("63", "125", "250", "500", "1000", "2000", "4000")

    def measured(path: Path) -> tuple[float, np.ndarray]:
        """Seconds, and octave shares + centroid + L10-L90 + modulation of one file."""
        x = read_mono(path, FS)
        with warnings.catch_warnings():  # short files: the envelope spectrum takes fewer points
            warnings.simplefilter("ignore", UserWarning)
            m = measure(x, FS)
        values = [m["octave_band_db"][b] for b in bands]
        values += [m["spectral_centroid_hz"], m["L10_minus_L90_db"], m["modulation_index_2_8hz"]]
        return x.size / FS, np.array(values)

    rows = [(f"bundled {scene}", [bundled_dir() / f"{scene}.flac"]) for scene in BUNDLED_SCENES]
    cafe = Path(__file__).resolve().parent.parent.parent / "shared/data/noise-dev/cafe.wav"
    if cafe.is_file():
        rows.append(("real cafe (shared)", [cafe]))
    rows += [(f"real {source.name}", source_files(source)) for source in SOURCES]
    print("each source's files measured one by one, then averaged (so level differences")
    print("between its files do not count as fluctuation); octave shares in dB")
    print(f"{'recording':<22}{'files':>6}{'seconds':>8}" + "".join(f"{b:>7}" for b in bands)
          + f"{'centroid':>10}{'L10-L90':>9}{'mod':>7}")  # fmt: skip
    for name, paths in rows:
        results = [measured(path) for path in paths]
        seconds = sum(r[0] for r in results)
        v = np.mean([r[1] for r in results], axis=0)
        print(
            f"{name:<22}{len(paths):>6}{seconds:>8.1f}"
            + "".join(f"{value:>7.1f}" for value in v[:7])
            + f"{v[7]:>7.0f} Hz{v[8]:>6.1f} dB{v[9]:>7.2f}"
        )


if __name__ == "__main__":
    main()
