"""Serving the mock over HTTP with uvicorn: bind (127.0.0.1 unless told otherwise, and then a
loud warning: the mock has no real authentication), say where it is, serve until SIGINT or
SIGTERM (uvicorn's own handlers: requests in flight finish, then the database is closed)."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from collections.abc import Iterator
from typing import Any, TextIO

LOCAL = ("127.0.0.1", "localhost", "::1")

WARNING = (
    "WARNING: ixrules mock is listening on {host}, not only on this machine. It has no real "
    "authentication: anyone who can reach it can read and change its state (its key is "
    "printed below). Use --host 127.0.0.1 unless you mean it."
)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8040,
    api_key: str | None = None,
    account: str = "acme",
    db: str | None = None,
    language: str | None = None,
    seed: str | None = None,
    now: str | None = None,
    quiet: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the mock's server; the exit status (0 after a clean stop, 2 when it cannot start)."""
    import uvicorn

    from .app import create_app
    from .core import Mock
    from .seed import SeedError
    from .store import StoreError

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        sock = _bind(host, port)
    except OSError as exc:
        print(f"ixrules mock: cannot listen on {host}:{port}: {exc.strerror or exc}", file=err)
        return 2
    bound = sock.getsockname()[1]
    base = f"http://[{host}]:{bound}" if ":" in host else f"http://{host}:{bound}"
    try:
        mock = Mock(
            api_key=api_key,
            account=account,
            db=db,
            language=language,
            seed_data=seed,
            now=now,
            base_url=base,
            log=None if quiet else err,
        )
    except (SeedError, StoreError, ValueError) as exc:
        sock.close()
        print(f"ixrules mock: {exc}", file=err)
        return 2
    config = uvicorn.Config(
        create_app(mock),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
    server = _Server(config)
    try:
        with _stopping_on_signals(server):  # before the banner: a caller may stop it at once
            if host not in LOCAL:
                print(WARNING.format(host=host), file=err, flush=True)
            print(f"ixrules mock serving {base}", file=out)
            print(f"  account:  {account}", file=out)
            print(f"  api key:  {mock.api_key}", file=out)
            print(f"  database: {db or 'in memory (gone when stopped)'}", file=out)
            print(
                f"  try:      curl '{base}/clients.json?api_key={mock.api_key}'",
                file=out,
                flush=True,
            )
            server.run(sockets=[sock])
    finally:
        mock.close()
        sock.close()
    print("ixrules mock stopped", file=out, flush=True)
    return 0


def _server_class() -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, leaving SIGINT and SIGTERM to :func:`_stopping_on_signals`
        (uvicorn's own handlers raise the signal again once stopped, so the process would end
        by it instead of exiting 0)."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

        def install_signal_handlers(self) -> None:  # uvicorn before 0.29
            pass

    return Server


def _Server(config: Any) -> Any:
    return _server_class()(config)


@contextlib.contextmanager
def _stopping_on_signals(server: Any) -> Iterator[None]:
    """SIGINT and SIGTERM stop ``server`` gracefully (requests in flight finish); a second one
    stops it at once."""

    def stop(signum: int, frame: object) -> None:
        if server.should_exit:
            server.force_exit = True
        server.should_exit = True

    wanted = [signal.SIGINT, signal.SIGTERM]
    try:
        previous = {signum: signal.signal(signum, stop) for signum in wanted}
    except ValueError:  # not the main thread: the caller stops the server
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
