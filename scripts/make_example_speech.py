"""Generate the bundled example speech clips in examples/speech/ with espeak-ng.

Six short sentences by different synthetic talkers, 16 kHz FLAC, and an audiofolder
`metadata.csv` (file_name, transcription, speaker). Seeded and reproducible; the text is
written for this project. Usage: python scripts/make_example_speech.py [--out examples/speech]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

RATE = 16000
CLIPS = (
    ("en-us+m3", 40, 165, "Please call me back after the meeting."),
    ("en-gb+f2", 70, 150, "The train to the airport leaves at seven fifteen."),
    ("en-us+f4", 65, 175, "Turn left at the second traffic light."),
    ("en-gb-scotland+m1", 35, 155, "My account number is four two nine one."),
    ("en-029+m5", 45, 170, "Could you repeat the last order, please?"),
    ("en-us-nyc+f1", 75, 160, "The weather tomorrow will be cloudy with light rain."),
)


def synthesise(voice: str, pitch: int, speed: int, text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.wav"
        cmd = ["espeak-ng", "-w", str(path), "-v", voice, "-p", str(pitch), "-s", str(speed), text]
        subprocess.run(cmd, check=True, capture_output=True)
        x, rate = sf.read(path, dtype="float64")
    x = resample_poly(x, 320, 441) if rate == 22050 else x
    lead = np.zeros(int(0.3 * RATE))  # a little silence around the words, as in real clips
    x = np.concatenate([lead, x, lead])
    return (x * 10 ** (-3 / 20) / np.max(np.abs(x))).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "examples" / "speech"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, (voice, pitch, speed, text) in enumerate(CLIPS):
        name = f"clip_{i:02d}.flac"
        sf.write(args.out / name, synthesise(voice, pitch, speed, text), RATE, subtype="PCM_16")
        rows.append({"file_name": name, "transcription": text, "speaker": voice})
    with open(args.out / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file_name", "transcription", "speaker"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} clips to {args.out}")


if __name__ == "__main__":
    main()
