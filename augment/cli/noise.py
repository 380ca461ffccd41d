"""`augment noise make`: render a background scene (or a variant of it) to an audio file.

The same seeded generators as the bundled noise_samples/ (augment.audio.scenes), so users
can render longer clips or other speeds, densities and rooms:

    augment noise make car --speed 100 -o car_100.flac
    augment noise make street --traffic 40 --distance 10 --seconds 120 -o avenue.flac

crowd and cafe need the flite/Festival talkers (Debian packages; the error names them).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import typer

from augment.cli.common import fail
from augment.dataset.atomic import write_atomic

app = typer.Typer(help="Render bundled background scenes (car, street, crowd, cafe).")

# option name -> (scene, generator parameter)
SCENE_OPTIONS = {
    "speed": ("car", "speed_kmh"),
    "vehicle": ("car", "vehicle"),
    "traffic": ("street", "vehicles_per_minute"),
    "distance": ("street", "distance_m"),
    "lanes": ("street", "lanes"),
    "talkers": ("crowd", "talkers"),
    "rt60": ("crowd", "rt60_s"),
    "effort": ("crowd", "vocal_effort"),
}
FORMATS = {".flac": ("FLAC", "PCM_16"), ".wav": ("WAV", "PCM_16")}


def scene_params(scene: str, options: dict[str, Any]) -> dict[str, Any]:
    """Generator parameters from the given options; refuses an option of another scene."""
    params = {}
    for option, value in options.items():
        if value is None:
            continue
        owner, name = SCENE_OPTIONS[option]
        if owner != scene:
            fail(f"--{option} applies to {owner}, not {scene}")
        params[name] = value
    return params


@app.command("make")
def make(
    scene: Annotated[str, typer.Argument(help="car, street, crowd or cafe")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .flac or .wav")],
    seconds: Annotated[float, typer.Option(help="Length in seconds")] = 30.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes)")] = 0,
    speed: Annotated[float | None, typer.Option(help="car: km/h (30-160)")] = None,
    vehicle: Annotated[str | None, typer.Option(help="car: small, mid or suv")] = None,
    traffic: Annotated[float | None, typer.Option(help="street: vehicles per minute")] = None,
    distance: Annotated[float | None, typer.Option(help="street: nearest lane, m")] = None,
    lanes: Annotated[int | None, typer.Option(help="street: number of lanes")] = None,
    talkers: Annotated[int | None, typer.Option(help="crowd: number of talkers")] = None,
    rt60: Annotated[float | None, typer.Option(help="crowd: reverberation time, s")] = None,
    effort: Annotated[
        str | None, typer.Option(help="crowd: vocal effort, normal, raised or loud")
    ] = None,
) -> None:
    """Render SCENE to OUTPUT (16 kHz mono, -26 dBFS RMS)."""
    import numpy as np
    import soundfile as sf

    from augment.audio.scenes import FS, render
    from augment.audio.scenes.measure import VOCAL_EFFORTS
    from augment.core.errors import AugsynthError

    options = dict(speed=speed, vehicle=vehicle, traffic=traffic, distance=distance)
    options |= dict(lanes=lanes, talkers=talkers, rt60=rt60, effort=effort)
    if output.suffix.lower() not in FORMATS:
        fail(f"{output}: expected a .flac or .wav name")
    if effort is not None and effort not in VOCAL_EFFORTS:  # before the talkers' check
        fail(f"--effort {effort}: expected one of {', '.join(VOCAL_EFFORTS)}")
    try:
        x = render(scene, seconds, seed, **scene_params(scene, options))
    except (ValueError, AugsynthError) as err:
        fail(f"{scene}: {err}")
    fmt, subtype = FORMATS[output.suffix.lower()]
    encoded = io.BytesIO()
    sf.write(encoded, x.astype(np.float32), FS, format=fmt, subtype=subtype)
    try:  # nothing half-written under the final name, and the file mode a user expects
        write_atomic(output, encoded.getvalue())
    except OSError as err:
        fail(f"{output}: cannot write ({err.strerror})")
    typer.echo(f"{output}: {scene}, {seconds:g} s at {FS} Hz")
