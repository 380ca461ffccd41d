"""`augment explore`: tune a pipeline on your own data in the browser, served locally."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Annotated

import typer

from augment.cli.common import SeedOpt, fail, user_errors

INSTALL_HINT = "augment explore needs the web extra: pip install 'augsynth[explore]'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def explore_command(
    in_dir: Annotated[
        Path, typer.Argument(help="Images (class folders, labels.csv...) or an audiofolder.")
    ],
    config: Annotated[
        Path | None, typer.Option("--config", help="Start from this pipeline YAML/JSON.")
    ] = None,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")
    ] = 8765,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to bind; anything but 127.0.0.1 opens IN to others."),
    ] = "127.0.0.1",
    copies: Annotated[
        int, typer.Option("-n", "--copies", min=1, max=16, help="Copies shown per input.")
    ] = 4,
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
    try:
        import uvicorn

        from augment.explore.app import create_app
        from augment.explore.session import open_session
    except ImportError:
        fail(INSTALL_HINT)
    if not in_dir.is_dir():
        fail(f"{in_dir}: not a folder")
    with user_errors():
        session = open_session(in_dir, config, inputs)
        app = create_app(session, seed=seed, copies=copies)
    listener = _listen(host, port)
    bound_host, bound = listener.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"augment explore: serving {len(session.shown)} inputs of {in_dir} ({session.kind})")
    print(f"open http://{shown_host}:{bound}/  (Ctrl-C stops)", flush=True)
    if host not in LOOPBACK:
        print(f"note: bound to {host}: others who can reach this machine can see IN's files")
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
