"""Train a small CNN on log-mel features of labelled speech clips, with noise augmentation.

The folder holds clips named `<label>_<speaker>_<n>.wav` (the Free Spoken Digit Dataset's
layout) or clips in label folders. Training clips go through the audiomentations-style
call, `pipeline(samples=..., sample_rate=...)`, with the bundled crowd, car, street and
cafe scenes mixed in at a drawn SNR, a time shift and a gain; called without a generator
the draws differ per DataLoader worker and epoch.

    python examples/train_speech_classifier.py digits/ --epochs 15 \
        --test-noise noise_samples/cafe.flac --test-snr 5

Test clips: with FSDD names, takes 0-4 of every speaker and label (the dataset's own
split); otherwise every fifth clip. The script prints the accuracy on the clean test clips
and on the same clips mixed with `--test-noise` at `--test-snr` dB (seeded, so repeatable).
`--no-augment` trains on the clean clips alone, for comparison.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import librosa
import numpy as np
import scipy.signal
import soundfile
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from augment import build_pipeline, example_rng

FSDD_NAME = re.compile(r"^([^_]+)_([^_]+)_(\d+)$")
SPEECH_AUGMENTATION = [
    {"TimeShift": {"shift_s": 0.15}},
    {"Maybe": {"p": 0.8, "transform": {"BackgroundNoise": {"snr_db": [0, 20]}}}},
    {"Gain": {"gain_db": [-6, 6]}},
]
MELS = 40


@dataclass(frozen=True)
class Clip:
    path: Path
    label: str
    test: bool


def find_clips(folder: Path) -> list[Clip]:
    """Every .wav/.flac under the folder with its label and whether it is a test clip."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".wav", ".flac"})
    if not files:
        raise SystemExit(f"error: {folder}: no .wav or .flac clips found")
    clips = []
    for k, path in enumerate(files):
        named = FSDD_NAME.match(path.stem)
        if named:
            clips.append(Clip(path, named.group(1), int(named.group(3)) < 5))
        else:
            clips.append(Clip(path, path.parent.name, k % 5 == 0))
    return clips


def load(path: Path, rate: int, seconds: float) -> np.ndarray:
    """The clip at `rate`, mono, centred in a window of `seconds` (cut if longer)."""
    wave, found = soundfile.read(path, dtype="float32", always_2d=True)
    wave = wave.mean(axis=1)
    if found != rate:
        step = math.gcd(found, rate)
        wave = scipy.signal.resample_poly(wave, rate // step, found // step).astype(np.float32)
    length = int(rate * seconds)
    wave = wave[:length]
    start = (length - len(wave)) // 2
    return np.pad(wave, (start, length - len(wave) - start))


@dataclass(frozen=True)
class LogMel:
    """(1, MELS, frames) log-mel energies, 32 ms windows every 10 ms, normalised per clip."""

    rate: int
    bank: torch.Tensor  # (MELS, n_fft // 2 + 1) mel filters, made once (librosa)

    @classmethod
    def at(cls, rate: int) -> LogMel:
        n_fft = int(0.032 * rate)
        bank = librosa.filters.mel(sr=rate, n_fft=n_fft, n_mels=MELS)
        return cls(rate, torch.from_numpy(bank.astype(np.float32)))

    def __call__(self, wave: np.ndarray) -> torch.Tensor:
        n_fft = (self.bank.shape[1] - 1) * 2
        window = torch.hann_window(n_fft)
        spectrum = torch.stft(
            torch.from_numpy(wave), n_fft, self.rate // 100, window=window, return_complex=True
        )
        feature = torch.log(self.bank @ spectrum.abs() ** 2 + 1e-6)
        return ((feature - feature.mean()) / (feature.std() + 1e-6))[None]


@dataclass(frozen=True)
class Features(Dataset[tuple[torch.Tensor, Any]]):
    """(log-mel, class) items; each waveform through the pipeline first when one is set."""

    waves: list[np.ndarray]
    labels: list[int]
    features: LogMel
    pipeline: Any = None
    seed: int | None = None  # with a seed, item i draws from example_rng(seed, i): fixed

    def __len__(self) -> int:
        return len(self.waves)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        wave = self.waves[index]
        if self.pipeline is not None:
            rng = None if self.seed is None else example_rng(seed=self.seed, index=index)
            wave = self.pipeline(samples=wave, sample_rate=self.features.rate, rng=rng)
        return self.features(wave), self.labels[index]


def model(classes: int) -> nn.Module:
    """Four conv blocks, global average pooling and a linear layer."""
    blocks: list[nn.Module] = []
    for inputs, outputs in ((1, 16), (16, 32), (32, 64), (64, 64)):
        blocks += [nn.Conv2d(inputs, outputs, 3, padding=1), nn.BatchNorm2d(outputs), nn.ReLU()]
        blocks.append(nn.MaxPool2d(2))
    pooled = [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3)]
    return nn.Sequential(*blocks, *pooled, nn.Linear(64, classes))


def train(net: nn.Module, data: Features, epochs: int, workers: int) -> None:
    loader: DataLoader[tuple[torch.Tensor, Any]] = DataLoader(
        data, batch_size=64, shuffle=True, num_workers=workers, persistent_workers=workers > 0
    )
    optimiser = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=3e-3, total_steps=max(1, epochs * len(loader))
    )
    for epoch in range(epochs):
        net.train()
        for features, labels in loader:
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(net(features), labels)
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch}: last batch loss {loss.item():.3f}", flush=True)


def accuracy(net: nn.Module, data: Features, workers: int) -> float:
    net.eval()
    correct = 0
    with torch.no_grad():
        for features, labels in DataLoader(data, batch_size=128, num_workers=workers):
            correct += int((net(features).argmax(1) == labels).sum())
    return correct / len(data)


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    """Train on the training clips; print and return clean and noisy test accuracy."""
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    clips = find_clips(args.data)
    names = sorted({clip.label for clip in clips})
    waves = [load(clip.path, args.rate, args.seconds) for clip in clips]
    labels = [names.index(clip.label) for clip in clips]
    features = LogMel.at(args.rate)
    train_at = [k for k, clip in enumerate(clips) if not clip.test]
    test_at = [k for k, clip in enumerate(clips) if clip.test]

    def subset(at: list[int], pipeline: Any = None, seed: int | None = None) -> Features:
        return Features([waves[k] for k in at], [labels[k] for k in at], features, pipeline, seed)

    augmentation = None if args.no_augment else build_pipeline(SPEECH_AUGMENTATION)
    net = model(len(names))
    train(net, subset(train_at, augmentation), args.epochs, args.workers)
    test_noise = build_pipeline(
        [{"BackgroundNoise": {"noise": args.test_noise, "snr_db": args.test_snr}}]
    )
    scores = {
        "clean": accuracy(net, subset(test_at), args.workers),
        "noisy": accuracy(net, subset(test_at, test_noise, seed=args.seed), args.workers),
    }
    print(
        f"{len(train_at)} training, {len(test_at)} test clips, {len(names)} classes: accuracy "
        f"{scores['clean']:.3f} clean, {scores['noisy']:.3f} with {args.test_noise} "
        f"at {args.test_snr:g} dB SNR"
    )
    if args.out:
        torch.save({"state_dict": net.state_dict(), "classes": names}, args.out)
    return scores


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder of labelled clips")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--rate", type=int, default=8000, help="clips are resampled to RATE Hz")
    parser.add_argument("--seconds", type=float, default=1.0, help="clip window length")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader worker processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-augment", action="store_true", help="train on clean clips only")
    parser.add_argument("--test-noise", default="cafe", help="a bundled scene name or a file")
    parser.add_argument("--test-snr", type=float, default=5.0, help="SNR of the noisy test, dB")
    parser.add_argument("--out", type=Path, help="save the trained model here (.pt)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
