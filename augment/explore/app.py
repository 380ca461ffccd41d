"""The explorer's HTTP side: a small Starlette app over an ExploreSession.

Every error is a JSON body `{"error": {"message", "field", "step", "argument"}}` (field and
step/argument locate a bad pipeline value so the page shows it beside its control); no
traceback ever reaches the page. Files are served only from under IN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from augment.core.errors import AugsynthError, ConfigError
from augment.explore.controls import describe_registry
from augment.explore.session import ExploreSession, file_under, spectrogram_png
from augment.explore.synth_session import SynthSession

STATIC = Path(__file__).parent / "static"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
_FIELD = re.compile(r"^pipeline\[(\d+)\](?:\.\w+(?:\.(\w+))?)?")


def create_app(
    session: ExploreSession | SynthSession,
    seed: int = 0,
    copies: int = 4,
    allowed_hosts: Sequence[str] = LOOPBACK_NAMES,
) -> Starlette:
    """The app serving the page, its assets and the JSON API for `session`: IN's images or
    audio (ExploreSession) or synth's rendered crops (SynthSession).

    Requests must name one of `allowed_hosts` in their Host header (loopback names by
    default), so a web page elsewhere cannot reach IN's files through DNS rebinding.
    """
    routes = [
        Route("/", lambda request: FileResponse(STATIC / "index.html")),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/session", _session_info),
        Route("/api/registry", _registry),
        Route("/api/render", _render, methods=["POST"]),
        Route("/api/export", _export, methods=["POST"]),
        Route("/api/import", _load, methods=["POST"]),
        Route("/api/spectrogram/{index:int}", _spectrogram),
        Route("/files/{path:path}", _input_file),
        Mount("/static", StaticFiles(directory=STATIC)),
    ]
    handlers = {
        ConfigError: _config_error,
        AugsynthError: _toolkit_error,
        HTTPException: _http_error,
        Exception: _unexpected_error,
    }
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.session, app.state.seed, app.state.copies = session, seed, copies
    return app


def _session(request: Request) -> ExploreSession | SynthSession:
    return request.app.state.session


async def _session_info(request: Request) -> JSONResponse:
    info = await run_in_threadpool(_session(request).info)
    state = request.app.state
    return JSONResponse(info | {"seed": state.seed, "copies": state.copies})


async def _registry(request: Request) -> JSONResponse:
    kind = _session(request).kind
    return JSONResponse(
        await run_in_threadpool(describe_registry, "image" if kind == "synth" else kind)
    )


async def _render(request: Request) -> JSONResponse:
    body = await _json_body(request)
    return JSONResponse({"copies": await run_in_threadpool(_session(request).render, body)})


async def _export(request: Request) -> JSONResponse:
    body = await _json_body(request)
    return JSONResponse(await run_in_threadpool(_session(request).export, body))


async def _load(request: Request) -> JSONResponse:
    text = (await _json_body(request)).get("yaml")
    if not isinstance(text, str):
        raise ConfigError("yaml", "expected the YAML text")
    return JSONResponse(await run_in_threadpool(_session(request).load, text))


async def _input_file(request: Request) -> Response:
    """A file of IN, for the page's originals; nothing outside IN (see file_under)."""
    session = _session(request)
    if not isinstance(session, ExploreSession):
        return _error(404, "no input folder")
    path = file_under(session.in_dir, request.path_params["path"])
    if path is None:
        return _error(404, "not a file under the input folder")
    return FileResponse(path)


async def _spectrogram(request: Request) -> Response:
    session, j = _session(request), request.path_params["index"]
    if not isinstance(session, ExploreSession) or session.kind != "audio" or j not in session.shown:
        return _error(404, "no such audio input")
    png = await run_in_threadpool(lambda: spectrogram_png(session.original(j)))
    return Response(png, media_type="image/png")


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError("request", "the body is not JSON") from None
    if not isinstance(body, dict):
        raise ConfigError("request", "expected a JSON object")
    return body


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "field": field, "step": None, "argument": None}
    match = _FIELD.match(field or "")
    if match:
        error.update(step=int(match.group(1)), argument=match.group(2))
    return JSONResponse({"error": error}, status_code=status)


async def _config_error(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, ConfigError)
    return _error(422, str(err), err.field)


async def _toolkit_error(request: Request, err: Exception) -> JSONResponse:
    return _error(422, str(err))


async def _http_error(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, HTTPException)
    return _error(err.status_code, str(err.detail))


async def _unexpected_error(request: Request, err: Exception) -> JSONResponse:
    """A bug, or a transform failing on this data: one line for the page, no traceback."""
    first_line = str(err).splitlines()[0] if str(err) else ""
    return _error(500, f"{type(err).__name__}: {first_line}".rstrip(": "))
