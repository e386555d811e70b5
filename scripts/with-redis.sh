#!/usr/bin/env bash
# Run a command with a throw-away redis-server on a free local port, then remove it.
# Usage: scripts/with-redis.sh COMMAND [ARGS...]   (REDIS_URL is set for COMMAND; the tests that need a
# real Redis read it, the rest of the platform keeps its configured cache)
set -euo pipefail
REDIS_PORT=${REDIS_PORT:-63790}
while (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; do REDIS_PORT=$((REDIS_PORT + 1)); done
server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  echo "redis-server not found: run 'make deps' (apt-get install redis-server)" >&2
  exit 2
fi
work=$(mktemp -d /tmp/codi-redis.XXXXXX)
"$server" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --daemonize no --loglevel warning >"$work/log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 2; }
  sleep 0.1
done
echo "Redis $("$server" --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" "$@"
