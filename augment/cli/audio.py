"""`augment audio`: noisy, phone-line and reverberant copies of labelled speech.

The command reads an audiofolder (metadata.csv/jsonl with file_name and transcription, or
class folders, or audio files with same-stem .txt transcripts), runs the pipeline on each
copy with its own seeded generator and writes a new audiofolder (the shared body is in
`copies`). The audio stack (scipy.signal, filters, codecs) is imported inside the functions
that use it, so `augment --help` and `augment images` do not pay for it at start-up.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from augment.analysis.aim import Aim
from augment.cli.common import (
    DEFAULT_WORKERS,
    BalanceOpt,
    DryRunOpt,
    ExecutorOpt,
    FocusFloorOpt,
    FocusOpt,
    OutOpt,
    PreviewHtmlOpt,
    PreviewOpt,
    SchedulerOpt,
    SeedOpt,
    ShardOpt,
    ShardsOpt,
    TargetCountOpt,
    WorkersOpt,
    fail,
    parse_range,
)
from augment.cli.copies import CopiesOptions, HfDatasetOpt, InOpt, Medium, run_copies
from augment.core.registry import load_pipeline
from augment.core.transform import Transform
from augment.preview import spectrogram_picture

AUDIO_CELL = (320, 160)  # a preview spectrogram with its axes


def audio_medium() -> Medium:
    """What `augment audio` reads, makes and previews (imports the audio stack)."""
    from augment.audio.io import FORMATS
    from augment.audio.maker import AudioExampleMaker
    from augment.audio.noise_bank import AUDIO_EXTENSIONS

    return Medium(
        command="augment audio",
        extensions=AUDIO_EXTENSIONS,
        formats=tuple(FORMATS),
        maker=AudioExampleMaker,
        picture=partial(spectrogram_picture, size=AUDIO_CELL),
        cell_size=AUDIO_CELL,
        max_copies=4,
        transcripts=True,
        kind="audio",
    )


def build_audio_pipeline(
    noise: str | None,
    snr: str,
    phone: float,
    noise_dir: Path | None,
    config: Path | None,
    preset: str | None,
) -> Transform:
    """The --config or --preset pipeline, or background noise then the phone line (with
    probability `phone`), as the flags ask."""
    from augment.audio.background_noise import BackgroundNoise
    from augment.audio.bad_phone import BadPhone
    from augment.audio.presets import load_preset
    from augment.core.combinators import Maybe

    if config is not None or preset is not None:
        if noise or phone or (config is not None and preset is not None):
            fail("--config or --preset replaces --noise/--phone; give one of them")
        return load_pipeline(config, kind="audio") if config else load_preset(str(preset))
    steps: list[Transform] = []
    if noise:
        names = [n.strip() for n in noise.split(",") if n.strip()]
        steps.append(
            BackgroundNoise(
                names,
                list(parse_range("--snr", snr)),
                None if noise_dir is None else str(noise_dir),
            )
        )
    if phone:
        steps.append(BadPhone() if phone >= 1 else Maybe(BadPhone(), p=phone))
    if not steps:
        fail("nothing to do: give --noise, --phone or --config")
    from augment.core.combinators import Sequence

    return steps[0] if len(steps) == 1 else Sequence(steps)


def audio_command(
    out: OutOpt,
    in_dir: InOpt = None,
    noise: Annotated[
        str | None,
        typer.Option(
            "--noise",
            help="Background scenes, comma-separated: crowd, car, street, cafe (bundled), "
            "paths, or names under --noise-dir (sub-folder, file stem, ESC-50 category, *).",
        ),
    ] = None,
    snr: Annotated[
        str, typer.Option("--snr", help="SNR range in dB, LO:HI (P.56 speech level).")
    ] = "0:20",
    phone: Annotated[
        bool, typer.Option("--phone", help="Also pass through a bad phone line.")
    ] = False,
    phone_p: Annotated[
        float,
        typer.Option("--phone-p", min=0.0, max=1.0, help="Probability of the phone line per copy."),
    ] = 1.0,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="A recommended pipeline: robust-speech (scenes, reverb, gain and the phone "
            "line, each with a probability; the place to start).",
        ),
    ] = None,
    copies: Annotated[
        int, typer.Option("-n", "--copies", min=1, help="Copies per input file.")
    ] = 1,
    config: Annotated[
        Path | None, typer.Option("--config", help="Pipeline YAML/JSON (replaces --noise/--phone).")
    ] = None,
    noise_dir: Annotated[
        Path | None,
        typer.Option("--noise-dir", help="Your noise corpus (MUSAN, DEMAND, ESC-50...)."),
    ] = None,
    file_format: Annotated[str, typer.Option("--format", help="flac, wav or ogg.")] = "flac",
    seed: SeedOpt = 0,
    workers: WorkersOpt = DEFAULT_WORKERS,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    preview: PreviewOpt = 0,
    preview_html: PreviewHtmlOpt = False,
    dry_run: DryRunOpt = False,
    shards: ShardsOpt = None,
    shard: ShardOpt = None,
    focus: FocusOpt = None,
    focus_floor: FocusFloorOpt = 0.25,
    balance: BalanceOpt = False,
    target_count: TargetCountOpt = None,
    hf_dataset: HfDatasetOpt = None,
) -> None:
    """Write augmented copies of labelled speech; transcripts and extra columns carry over.

    IN_DIR is an audiofolder (metadata.csv or metadata.jsonl with file_name and
    transcription), class folders, or audio files with same-stem .txt transcripts; or one
    file, a CSV/TXT list of paths, or a Hugging Face dataset saved with save_to_disk (or
    --hf-dataset NAME[:split] from the Hub).
    The manifest records, per copy, the noise file, offset, SNR asked and SNR achieved.

    Examples:

      augment audio examples/speech -o noisy/ --noise crowd,car --snr 0:20 -n 3

      augment audio calls/ -o phone/ --noise street --snr 5:15 --phone -n 2 --preview 4

      augment audio speech/ -o out/ --noise noise --noise-dir ~/musan --format wav

      augment audio speech/ -o out/ --config audio.yaml --workers 2

      augment audio speech/ -o robust/ --preset robust-speech -n 3

      augment audio commands/ -o even/ --noise crowd --balance --target-count 50

      augment audio speech/ -o noisy/ --noise car --phone -n 3 --dry-run --preview-html
    """
    aim = Aim(focus, focus_floor, balance, target_count)
    options = CopiesOptions(
        in_dir,
        out,
        copies,
        file_format,
        seed,
        workers,
        preview,
        shards,
        aim,
        preview_html,
        dry_run,
        hf_dataset=hf_dataset,
        executor=executor,
        scheduler=scheduler,
        shard=shard,
    )
    phone_chance = phone_p if phone else 0.0
    pipeline = partial(build_audio_pipeline, noise, snr, phone_chance, noise_dir, config, preset)
    run_copies(audio_medium(), options, pipeline)
