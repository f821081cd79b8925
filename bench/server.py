"""The bench server: the API plus the baseline endpoint (bench/intake_server.py) in a child process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from hotline.kernel.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(120):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the bench server did not start")


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by process `pid`, or by the whole machine (every core, busy time only), from
    /proc; 0 where there is none."""
    try:
        if pid is None:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
            busy = sum(int(f) for i, f in enumerate(fields) if i not in (3, 4))  # not idle, not iowait
        else:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            busy = int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return 0.0
    return busy / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def bench_server(owner_url: str, clients: int) -> AsyncIterator[tuple[httpx.AsyncClient, int]]:
    """Start the server on a free port and yield an HTTP client for it and its process id; stop it
    afterwards."""
    port = free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": owner_url, "PYTHONPATH": str(PROJECT_ROOT),
           "HOTLINE_LOG_LEVEL": "WARNING", "HOTLINE_DB_POOL_SIZE": str(clients)}
    server = subprocess.Popen([sys.executable, "-m", "bench.intake_server", str(port)], env=env, cwd=PROJECT_ROOT)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120,
                                     limits=httpx.Limits(max_connections=clients)) as http:
            await wait_ready(http)
            yield http, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
