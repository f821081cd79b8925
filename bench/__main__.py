"""`make bench`: run every benchmark module in bench/ (or those named) against a fresh database.

Each module has `async def main(owner_url: str) -> None` that prints its figures. Nothing is asserted.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import sys
import time
import uuid
from pathlib import Path

from tests.conftest import create_database, drop_database, server_url

from hotline.kernel import migrate, runtime
from hotline.kernel.settings import get_settings


def modules(names: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    return [m for m in found if not names or m in names or m.removeprefix("bench_") in names]


def run(name: str, server: str) -> None:
    database = f"hotline_bench_{uuid.uuid4().hex[:8]}"
    url = create_database(server, database)
    try:
        migrate.upgrade(url)
        migrate.set_role_passwords(url, get_settings().database)
        runtime.configure(url)
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        asyncio.run(module.main(url))
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    finally:
        drop_database(server, database)


if __name__ == "__main__":
    server = server_url()
    for name in modules(sys.argv[1:]):
        run(name, server)
