#!/usr/bin/env bash
# The main job on the bundled defaults: synthesise OCR crops with the bundled fonts,
# augment them with grid warping, augment the bundled speech clip with crowd noise and a
# bad phone line, write preview contact sheets, and print where everything went.
# Run it through `make demo` (which creates the virtual environment) or with augsynth installed.
set -euo pipefail

OUT="${1:-demo_out}"
HERE="$(cd "$(dirname "$0")" && pwd)"

echo "== synth ocr: character crops from the bundled fonts"
synth ocr -o "$OUT/synth_crops" --charset alnum --per-class 8 --size 32 \
    --seed 0 --workers 2 --preview 64

echo "== augment images: grid warp + rotation of those crops"
augment images "$OUT/synth_crops" -o "$OUT/augmented_crops" --warp --rotate 8 -n 2 \
    --seed 0 --workers 2 --preview 12

echo "== augment audio: crowd noise at 5-15 dB SNR, then a bad phone line"
augment audio "$HERE/speech" -o "$OUT/noisy_speech" --noise crowd --snr 5:15 --phone -n 2 \
    --seed 0 --preview 4

echo
echo "Done. Look at:"
for dir in synth_crops augmented_crops noisy_speech; do
    echo "  $OUT/$dir/preview.png          contact sheet"
    echo "  $OUT/$dir/manifest.jsonl       one row per example: file, label, source_file (augment), seed, params"
done
