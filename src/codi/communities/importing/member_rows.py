"""A checked member row and its way to the database: bulk inserts, existing persons, memberships."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from django.db import connection, models

from codi.communities.crypto import encrypt_text
from codi.communities.models import (
    Membership,
    Person,
    person_fingerprint,
)
from codi.communities.validation import (
    mask_national_id,
)


class MemberRow(NamedTuple):
    """A checked member row, ready to write (plain values; encryption happens on save)."""

    row: int
    key: str  # blind index of the national ID
    national_id: str
    title: str
    first_name: str
    last_name: str
    birth_year: int | None
    gender: str
    phone: str
    address: str
    subdistrict: str
    organization_id: int | None
    role: str
    started_on: date | None

    def person_fields(self) -> tuple[Any, ...]:
        return self[3:11]


def _insert(model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows that already hold database values, by the database's fastest plain path.

    SQLite runs one prepared statement over every row (``executemany``);
    PostgreSQL gets ``COPY … FROM STDIN``, which skips both the round trip per
    row of ``executemany`` and the parsing of a long multi-row ``VALUES`` text.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(getattr(model._meta.get_field(f), "column", f))) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


PERSON_INSERT = ("record_hash", "national_id", "national_id_index", "national_id_masked", "title_th", "first_name_th",
                 "last_name_th", "birth_year", "gender", "phone", "address", "subdistrict", "is_demo",
                 "created_at", "updated_at")  # fmt: skip


MEMBERSHIP_INSERT = ("person", "organization", "role", "started_on", "ended_on", "created_at", "updated_at")


def person_insert_values(r: MemberRow, stamp: Any) -> tuple[Any, ...]:
    """The database values of a new person, in ``PERSON_INSERT`` order, as the model fields would store them."""
    return (
        person_fingerprint(r.person_fields()),
        encrypt_text(r.national_id),
        r.key,
        mask_national_id(r.national_id),
        r.title,
        r.first_name,
        r.last_name,
        r.birth_year,
        r.gender,
        encrypt_text(r.phone) if r.phone else "",
        encrypt_text(r.address) if r.address else "",
        r.subdistrict,
        False,
        stamp,
        stamp,
    )


def _insert_persons(rows: list[MemberRow], now: Any) -> dict[str, int]:
    """Insert new persons; return their ids by blind index."""
    if not rows:
        return {}
    stamp = connection.ops.adapt_datetimefield_value(now)
    _insert(Person, PERSON_INSERT, [person_insert_values(r, stamp) for r in rows])
    keys = [r.key for r in rows]
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        found.update(
            Person.objects.filter(national_id_index__in=keys[start : start + 500]).values_list(
                "national_id_index", "pk"
            )
        )
    return found


class _PendingPerson:
    """A person created earlier in the same file (not in the database yet while checking)."""

    def __init__(self, row: MemberRow) -> None:
        self.row = row


def _fingerprint(person: Any) -> str:
    if isinstance(person, _PendingPerson):
        return person_fingerprint(person.row.person_fields())
    return str(person.record_hash)


def _existing_person_keys(indexes: Iterable[str]) -> dict[str, Person]:
    """Existing persons with id, home subdistrict and fingerprint only (nothing to decrypt)."""
    keys = list(indexes)
    found: dict[str, Person] = {}
    for start in range(0, len(keys), 500):
        query = Person.objects.filter(national_id_index__in=keys[start : start + 500]).only(
            "pk", "national_id_index", "subdistrict_id", "record_hash"
        )
        for person in query:
            found[person.national_id_index] = person
    return found


def _existing_persons(indexes: Iterable[str]) -> dict[str, Person]:
    keys = list(indexes)
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 500):
        query = Person.objects.filter(national_id_index__in=keys[start : start + 500]).defer("national_id")
        for person in query:
            found[person.national_id_index] = person
    return found


def _write_memberships(batch: list[MemberRow], ids: dict[str, int], now: Any) -> tuple[int, int]:
    wanted = {(ids[r.key], r.organization_id): r for r in batch if r.organization_id is not None}
    if not wanted:
        return 0, 0
    current: dict[tuple[int, int], tuple[Any, ...]] = {}
    for pk, person_id, org_id, role, started, ended in Membership.objects.filter(
        person_id__in={p for p, _ in wanted}  # the (person, organization) index serves this
    ).values_list("pk", "person_id", "organization_id", "role", "started_on", "ended_on"):
        current[(person_id, org_id)] = (pk, role, started, ended)
    stamp = connection.ops.adapt_datetimefield_value(now)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[Membership] = []
    for key, row in wanted.items():
        found = current.get(key)
        if found is None:
            start_value = connection.ops.adapt_datefield_value(row.started_on)
            to_create.append((key[0], key[1], row.role, start_value, None, stamp, stamp))
            continue
        pk, role, started_on, ended_on = found
        target = (row.role, row.started_on or started_on, None)
        if (role, started_on, ended_on) != target:
            to_update.append(
                Membership(pk=pk, role=target[0], started_on=target[1], ended_on=None, updated_at=now)
            )
    _insert(Membership, MEMBERSHIP_INSERT, to_create)
    if to_update:
        Membership.objects.bulk_update(
            to_update, ["role", "started_on", "ended_on", "updated_at"], batch_size=500
        )
    return len(to_create), len(to_update)
