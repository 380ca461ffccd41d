"""Render the bundled background scenes in noise_samples/ (a thin wrapper of the library).

The generators live in `augment.audio.scenes` (one module per scene); this script writes
each variant of `augment.audio.scenes.VARIANTS` as 16 kHz 16-bit FLAC and prints its
measures (1/3-octave spectrum distance to the published reference, level fluctuation).
Same library versions and seeds give the same bytes.

crowd and cafe need the talkers' synthesisers (Debian/Ubuntu packages):
    apt-get install flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
Made with flite 2.2 and festival 2.5.0; other versions give other bytes.

Usage: python scripts/make_noise_samples.py [--out noise_samples] [--variants car_50,...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from augment.audio.scenes import FS, VARIANTS, render_variant
from augment.audio.scenes.measure import level_fluctuation_db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "noise_samples"
    )
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    args = parser.parse_args()
    names = args.variants.split(",")
    unknown = [name for name in names if name not in VARIANTS]
    if unknown:
        sys.exit(f"unknown variant(s) {', '.join(unknown)}: expected {', '.join(VARIANTS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        x = render_variant(name)
        path = args.out / f"{name}.flac"
        sf.write(path, x.astype(np.float32), FS, format="FLAC", subtype="PCM_16")
        print(f"{path}: {x.size / FS:.0f} s, fluctuation {level_fluctuation_db(x, FS):.2f} dB")


if __name__ == "__main__":
    main()
