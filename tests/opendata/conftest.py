"""Test builders (record-level data that passes or fails k-anonymity, personal columns) and a live server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from codi.opendata import builders
from codi.opendata.builders import Column, DatasetBuilder

PROVINCES = ["ขอนแก่น", "กรุงเทพมหานคร", "เชียงใหม่"]


def _record_rows(n: int, *, lonely: bool) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [
        (PROVINCES[i % 3], "หญิง" if i % 2 else "ชาย", "1980s", i % 7, f"ข้อความ {i}") for i in range(n)
    ]
    if lonely:
        rows.append(("ขอนแก่น", "ชาย", "1930s", 1, "ผู้สูงอายุ"))  # one person alone in a class
    return rows


RECORD_COLUMNS = (
    Column("province", "text", "จังหวัด"),
    Column("gender", "text", "เพศ"),
    Column("birth_decade", "text", "ทศวรรษที่เกิด"),
    Column("household_size", "int", "จำนวนสมาชิกในครัวเรือน"),
    Column("note", "text", "หมายเหตุ"),
)


def record_builder(name: str, *, n: int = 60, lonely: bool = False) -> DatasetBuilder:
    return DatasetBuilder(
        name=name,
        title_th=f"ข้อมูลระเบียนทดสอบ {name}",
        title_en="Test records",
        description="ข้อมูลทดสอบระดับระเบียนที่ลบข้อมูลระบุตัวตนแล้ว",
        objective="ทดสอบ",
        data_type="record",
        data_category="ข้อมูลสาธารณะ",
        update_frequency="yearly",
        keywords=("ทดสอบ",),
        columns=RECORD_COLUMNS,
        quasi_identifiers=("province", "gender", "birth_decade"),
        build=lambda: _record_rows(n, lonely=lonely),
    )


@pytest.fixture
def register_builder() -> Iterator[object]:
    added: list[str] = []

    def add(builder: DatasetBuilder) -> DatasetBuilder:
        added.append(builder.name)
        return builders.register(builder)

    yield add
    for name in added:
        builders.unregister(name)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _SharedConnectionServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        pass  # the test's own connection is shared; closing it would end the test's transaction


@pytest.fixture
def live_url(db: None) -> Iterator[str]:
    """The whole WSGI stack on a real socket, sharing the test's database connection.

    pytest-django's ``live_server`` needs a transactional test whose flush deletes the session's
    Thai areas and (on SQLite) trips the append-only audit trigger; this server instead uses the
    test's connection, as Django's LiveServerThread does for in-memory SQLite, so the test's
    transaction (and its rollback) covers what the server reads.
    """
    connection = connections["default"]
    connection.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = _SharedConnectionServer(
        ("127.0.0.1", 0),
        _QuietHandler,
        allow_reuse_address=False,
        connections_override={"default": connection},
    )
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()
