"""A small HTTP/1.1 load generator: N concurrent clients on one asyncio loop, keep-alive when offered.

Each client keeps its connection open while the server allows it (gunicorn's
``gthread`` workers do; its ``sync`` workers answer ``Connection: close``, and the
client then reconnects, as a browser or partner system would). Latency is timed
per request from sending it (or from connecting, when a new connection is needed)
to the last byte of the body. Every loop is bounded by a deadline and a count.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # never anything else
REQUEST_TIMEOUT_S = 30.0
MAX_REQUESTS_PER_CLIENT = 200_000
MAX_CHUNKS = 10_000

PathFor = Callable[[int, int], str]  # (client index, request number) -> path


@dataclass
class Phase:
    label: str
    seconds: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    connections: int = 0
    body_bytes: int = 0
    client_cpu_s: float = 0.0
    server_cpu_s: float | None = None

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, int]:
    """Read one response; return (status, server closes the connection, body length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status_line = lines[0].split(None, 2)
    status = int(status_line[1])
    close = status_line[0] == b"HTTP/1.0"
    length: int | None = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        key, value = name.strip().lower(), value.strip().lower()
        if key == b"content-length":
            length = int(value)
        elif key == b"connection":
            if value in (b"close", b"keep-alive"):
                close = value == b"close"
        elif key == b"transfer-encoding":
            chunked = b"chunked" in value
    if chunked:
        total = 0
        for _ in range(MAX_CHUNKS):
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:  # "0\r\n\r\n": the final CRLF was read with the empty chunk
                return status, close, total
        raise ValueError("too many chunks")
    if length is None:
        body = await reader.read()
        return status, True, len(body)
    await reader.readexactly(length)
    return status, close, length


async def _client(
    index: int, port: int, path_for: PathFor, headers: bytes, deadline: float, phase: Phase
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    for number in range(MAX_REQUESTS_PER_CLIENT):
        if time.perf_counter() >= deadline:
            break
        request = (
            b"GET " + path_for(index, number).encode() + b" HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n"
            b"Accept: application/json\r\n" + headers + b"\r\n"
        )
        started = time.perf_counter()
        close = True
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, port), REQUEST_TIMEOUT_S
                )
                phase.connections += 1
            writer.write(request)
            status, close, size = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT_S)
            phase.latencies_s.append(time.perf_counter() - started)
            phase.statuses[status] += 1
            phase.body_bytes += size
        except (
            OSError,
            EOFError,
            ValueError,
            TimeoutError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ):
            phase.errors += 1
            await asyncio.sleep(0.01)
        if close and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def _proc_cpu_seconds(pid: int) -> float:
    """utime + stime of one process from /proc (0.0 where unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def server_cpu_seconds(master_pid: int) -> float | None:
    """CPU time used so far by the server's master and its workers (Linux only)."""
    if not Path(f"/proc/{master_pid}/stat").exists():
        return None
    return _proc_cpu_seconds(master_pid) + sum(_proc_cpu_seconds(p) for p in _children(master_pid))


async def _run(
    label: str, port: int, path_for: PathFor, headers: bytes, clients: int, seconds: float
) -> Phase:
    phase = Phase(label)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(i, port, path_for, headers, deadline, phase) for i in range(clients)))
    phase.seconds = time.perf_counter() - started
    return phase


def run_phase(
    label: str,
    port: int,
    path_for: PathFor,
    *,
    headers: dict[str, str] | None = None,
    clients: int = 20,
    seconds: float = 7.5,
    server_pid: int | None = None,
) -> Phase:
    """Drive ``clients`` concurrent clients for ``seconds`` against 127.0.0.1:``port``."""
    raw_headers = b"".join(f"{k}: {v}\r\n".encode() for k, v in (headers or {}).items())
    cpu_before = time.process_time()
    server_before = server_cpu_seconds(server_pid) if server_pid else None
    phase = asyncio.run(_run(label, port, path_for, raw_headers, clients, seconds))
    phase.client_cpu_s = time.process_time() - cpu_before
    if server_pid and server_before is not None:
        server_after = server_cpu_seconds(server_pid)
        phase.server_cpu_s = None if server_after is None else server_after - server_before
    return phase
