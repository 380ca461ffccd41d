"""`augment compare` on ../shared/data: does it rank more realistic data closer to real data?

Images, against the 1,000 real Chars74K crops (../shared/data/chars74k-dev):
- synth:  default `synth ocr` crops (photo preset), 20 per class, seed 0;
- plain:  plain font renders: black glyph on white, centred, 32x32, seven text fonts of
          the bundled set (DejaVu Sans, Liberation Sans and Serif, Roboto, Open Sans, Lato,
          TeX Gyre Termes), 20 per class;
- noisy:  the plain renders through `augment images --config` with per-pixel Gaussian
          noise only (Noise, sigma 0.03-0.15): the classic augmentation.
Audio, against real recordings: ../shared/data/noise-dev/cafe.wav plus the crowd, market
and city recordings benchmarks/real_noise.py fetches (skipped, and said so, if it cannot):
- scenes: the bundled noise scenes (noise_samples/*.flac);
- white:  white noise, the same count and length of files at the scenes' mean RMS level.

Each set is compared with its real set by `compare_folders` (same seed): AUC of the domain
classifier (lower is closer) and the mean of the per-statistic distances. The claim holds
when synth beats plain and noisy, and scenes beats white, on the AUC.

    python benchmarks/compare_realism.py

Ends with name=value lines and `claim_holds=True/False`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import soundfile as sf
from PIL import Image, ImageDraw, ImageFont

from augment.analysis.compare import CompareOptions, compare_folders
from augment.audio.noise_bank import BUNDLED_SCENES, bundled_dir

ROOT = Path(__file__).resolve().parent.parent
# ../shared/data beside the checkout (or beside the folder of worktrees holding it)
SHARED = next(
    (p / "shared" / "data" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "data",
)
CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PLAIN_FONTS = (
    "DejaVu/DejaVuSans.ttf", "Liberation/LiberationSans-Regular.ttf",
    "Liberation/LiberationSerif-Italic.ttf", "Roboto/Roboto-Regular.ttf",
    "OpenSans/OpenSans-Regular.ttf", "Lato/Lato-Black.ttf", "TeXGyre/texgyretermes-regular.otf",
)  # fmt: skip
PER_CLASS = 20


def bin_path(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def plain_renders(out: Path) -> None:
    """Black glyphs on white, centred on their ink box, class folders with labels.csv."""
    out.mkdir()
    lines = ["file_name,label"]
    for k in range(PER_CLASS):
        font = ImageFont.truetype(str(ROOT / "fonts" / PLAIN_FONTS[k % len(PLAIN_FONTS)]), 24)
        for c, char in enumerate(CHARS):
            image = Image.new("L", (32, 32), 255)
            draw = ImageDraw.Draw(image)
            left, top, right, bottom = draw.textbbox((0, 0), char, font=font)
            draw.text(((32 - right - left) / 2, (32 - bottom - top) / 2), char, font=font, fill=0)
            name = f"{k * len(CHARS) + c:05d}.png"
            image.save(out / name)
            lines.append(f"{name},{char}")
    (out / "labels.csv").write_text("\n".join(lines) + "\n")


def image_sets(tmp: Path) -> dict[str, Path]:
    synth = tmp / "synth"
    subprocess.run([bin_path("synth"), "ocr", "-o", str(synth), "--per-class", str(PER_CLASS),
                    "--seed", "0", "--workers", "2"], check=True, capture_output=True)  # fmt: skip
    plain_renders(tmp / "plain")
    config = tmp / "noise.yaml"
    config.write_text("- Noise: {sigma: [0.03, 0.15]}\n")
    command = [bin_path("augment"), "images", str(tmp / "plain"), "-o", str(tmp / "noisy")]
    command += ["--config", str(config), "--seed", "0"]
    subprocess.run(command, check=True, capture_output=True)
    return {"synth": synth, "plain": tmp / "plain", "noisy": tmp / "noisy"}


def audio_sets(tmp: Path) -> tuple[dict[str, Path], Path, str]:
    """The scenes, white noise like them, and a folder of the real recordings."""
    import real_noise

    real = tmp / "real_noise"
    real.mkdir()
    (real / "cafe.wav").symlink_to(SHARED / "noise-dev" / "cafe.wav")
    try:
        real_noise.fetch()
        sources = real_noise.SOURCES
        note = f"cafe.wav and {len(sources)} fetched sources"
    except RuntimeError as error:
        sources, note = (), f"cafe.wav only (fetch failed: {error})"
    for source in sources:
        (real / source.name).mkdir()
        for path in real_noise.source_files(source):
            (real / source.name / path.name).symlink_to(path)
    white = tmp / "white"
    white.mkdir()
    rng = np.random.default_rng(0)
    for scene in BUNDLED_SCENES:
        x, rate = sf.read(bundled_dir() / f"{scene}.flac", dtype="float32")
        rms = float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
        sf.write(white / f"white_{scene}.flac", rng.normal(0, rms, x.size).astype(np.float32), rate)
    return {"scenes": bundled_dir(), "white": white}, real, note


def report(name: str, generated: Path, real: Path) -> float:
    comparison, _, _ = compare_folders(generated, real, CompareOptions(seed=0))
    mean = float(np.mean([d.distance for d in comparison.statistics]))
    top = ", ".join(f"{d.name} {d.distance:.2f}" for d in comparison.statistics[:3])
    print(f"{name:<7} auc={comparison.auc:.2f}  mean distance {mean:.2f}  "
          f"({comparison.generated} vs {comparison.real} rows; farthest: {top})")  # fmt: skip
    return comparison.auc


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        print("images vs ../shared/data/chars74k-dev")
        images = {k: report(k, p, SHARED / "chars74k-dev") for k, p in image_sets(tmp).items()}
        sets, real, note = audio_sets(tmp)
        print(f"audio vs real recordings: {note}")
        audio = {k: report(k, p, real) for k, p in sets.items()}
    holds = images["synth"] < min(images["plain"], images["noisy"]) and (
        audio["scenes"] < audio["white"]
    )
    for key, value in {**images, **audio}.items():
        print(f"compare_auc_{key}={value:.3f}")
    print(f"claim_holds={holds}")


if __name__ == "__main__":
    main()
