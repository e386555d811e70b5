#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a local port, then remove it.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for COMMAND)
set -euo pipefail
PG_PORT=${PG_PORT:-54329}
# Take the next free port when another run (or a developer's cluster) holds this one.
while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found: run 'make deps' (apt-get install postgresql)" >&2
  exit 2
fi
work=$(mktemp -d /tmp/codi-pg.XXXXXX)
run_as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root; use the postgres account Debian's package creates.
  chown postgres "$work"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${run_as[@]}" "$bindir/initdb" -D "$work/data" -U codi -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$work/data" -w -l "$work/log" \
  -o "-p $PG_PORT -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U codi codi
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
# The drill (bench/drill.py) restarts this cluster once under load: it needs the data folder and binaries.
CODI_PG_DATA="$work/data" CODI_PG_BINDIR="$bindir" CODI_PG_RUN_AS="${run_as[*]:-}" \
  DATABASE_URL="postgres://codi@127.0.0.1:$PG_PORT/codi" "$@"
