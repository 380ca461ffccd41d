"""`augment explore` and `synth explore`: tune a pipeline in the browser, served locally.

The lead registers them: `app.command("explore")(explore_command)` in augment/cli/main.py
and `app.command("explore")(synth_explore_command)` in synth/cli.py.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from augment.cli.common import SeedOpt, fail, user_errors

INSTALL_HINT = "explore needs the web extra: pip install 'augsynth[explore]'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

PortOpt = Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")]
HostOpt = Annotated[
    str, typer.Option("--host", help="Address to bind; anything but 127.0.0.1 opens the page.")
]
CopiesOpt = Annotated[
    int, typer.Option("-n", "--copies", min=1, max=16, help="Copies shown per row.")
]


def explore_command(
    in_dir: Annotated[
        Path, typer.Argument(help="Images (class folders, labels.csv...) or an audiofolder.")
    ],
    config: Annotated[
        Path | None, typer.Option("--config", help="Start from this pipeline YAML/JSON.")
    ] = None,
    port: PortOpt = 8765,
    host: HostOpt = "127.0.0.1",
    copies: CopiesOpt = 4,
    inputs: Annotated[
        int, typer.Option("--inputs", min=1, max=256, help="Inputs shown (spread over IN).")
    ] = 16,
    seed: SeedOpt = 0,
) -> None:
    """Open a page showing inputs of IN beside augmented copies, with a control for every
    parameter of every step; export the pipeline as the YAML that --config takes.

    The copies shown are the ones `augment images|audio IN -o OUT --config exported.yaml
    --seed S -n N` writes. The server binds to 127.0.0.1 unless --host says otherwise and
    serves only files under IN. Stop it with Ctrl-C.

    Examples:

      augment explore crops/

      augment explore speech/ --config phone.yaml --port 9000
    """
    _require_web_extra()
    from augment.explore.app import create_app
    from augment.explore.session import open_session

    if not in_dir.is_dir():
        fail(f"{in_dir}: not a folder")
    with user_errors():
        session = open_session(in_dir, config, inputs)
        app = create_app(session, seed=seed, copies=copies, allowed_hosts=_allowed_hosts(host))
    what = f"{len(session.shown)} inputs of {in_dir} ({session.kind})"
    _serve(app, host, port, f"augment explore: serving {what}")


def synth_explore_command(
    charset: Annotated[str, typer.Option("--charset", help="As for `synth ocr --charset`.")] = (
        "alnum"
    ),
    fonts: Annotated[
        Path | None, typer.Option("--fonts", help="Folder of .ttf/.otf fonts (default: bundled).")
    ] = None,
    size: Annotated[str, typer.Option("--size", help="Crop size: N or HxW pixels.")] = "32",
    config: Annotated[
        Path | None, typer.Option("--config", help="Start from this synth.yaml.")
    ] = None,
    port: PortOpt = 8765,
    host: HostOpt = "127.0.0.1",
    copies: CopiesOpt = 4,
    rows: Annotated[
        int, typer.Option("--rows", min=1, max=256, help="Characters shown (spread over it).")
    ] = 16,
    seed: SeedOpt = 0,
) -> None:
    """Open a page showing rendered crops per character, with controls for the render
    options and every augmentation step; export them as the synth.yaml --config takes.

    The crops shown are the ones `synth ocr -o OUT --config synth.yaml --charset C --size S
    --per-class N --seed S` writes (the page shows that command). Binds to 127.0.0.1 unless
    --host says otherwise. Stop it with Ctrl-C.

    Examples:

      synth explore --charset digits

      synth explore --charset alnum --config synth.yaml --size 48
    """
    _require_web_extra()
    from augment.explore.app import create_app
    from augment.explore.synth_session import open_synth_session
    from synth.cli import parse_size

    with user_errors():
        session = open_synth_session(charset, fonts, parse_size(size), config, rows)
        app = create_app(session, seed=seed, copies=copies, allowed_hosts=_allowed_hosts(host))
    what = f"{len(session.shown)} of {len(session.charset)} characters"
    _serve(app, host, port, f"synth explore: rendering {what}")


def _allowed_hosts(host: str) -> list[str]:
    """Host headers the page answers: loopback names, or any once bound to a public address
    (its callers may name it by any of the machine's names)."""
    from augment.explore.app import LOOPBACK_NAMES

    return list(LOOPBACK_NAMES) if host in LOOPBACK else ["*"]


def _require_web_extra() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail(INSTALL_HINT)


def _serve(app: Any, host: str, port: int, banner: str) -> None:
    """Serve `app` on host:port until Ctrl-C, printing the address it really listens on."""
    import uvicorn

    listener = _listen(host, port)
    bound_host, bound = listener.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(banner)
    print(f"open http://{shown_host}:{bound}/  (Ctrl-C stops)", flush=True)
    if host not in LOOPBACK:
        print(f"note: bound to {host}: others who can reach this machine can see the page")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, so the printed address is the real one (also for 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as err:
        listener.close()
        fail(f"cannot listen on {host}:{port}: {err.strerror}")
    listener.listen(128)
    return listener
