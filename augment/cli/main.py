"""The `augment` command: augment images or audio into a labelled dataset."""

from __future__ import annotations

import typer

from augment.cli import audio, compare, errors, explore, images, listing, merge, noise

app = typer.Typer(
    name="augment",
    help=(
        "Augment labelled images or speech into a new labelled dataset.\n\n"
        "Examples:\n\n"
        "  augment images crops/ -o out/ --warp --rotate 10 -n 5\n\n"
        "  augment audio speech/ -o noisy/ --noise crowd,car --snr 0:20 --phone -n 3\n\n"
        "  augment list\n\n"
        "  augment merge out/   # join the parts of a run made with --shard I/N"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("images")(images.images_command)
app.command("audio")(audio.audio_command)
app.command("list")(listing.list_command)
app.command("errors")(errors.errors_command)
app.command("compare")(compare.compare_command)
app.command("explore")(explore.explore_command)
app.command("merge")(merge.merge_command)
app.add_typer(noise.app, name="noise")
