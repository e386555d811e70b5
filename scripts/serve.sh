#!/usr/bin/env bash
# Start the platform: TASK_WORKERS background-task workers (each reconnects by itself after a database restart) and gunicorn with WORKERS processes of THREADS
# threads. Stopping any of them stops all (a supervisor — systemd, a container runtime — restarts the set).
#
#   WORKERS       gunicorn processes (default 3)      THREADS   threads per process (default 4)
#   TASK_WORKERS  background-task workers (default 1; with SQLite keep 1, on PostgreSQL as many as needed)
#   HOST, PORT    where gunicorn listens (default 127.0.0.1:8000)
#
# Several app processes must share their counters: set CACHE_URL=redis://… (or rely on the database
# counters, the default) — see the README's "Running at scale".
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${WORKERS:-3}
THREADS=${THREADS:-4}
TASK_WORKERS=${TASK_WORKERS:-1}
export PYTHONPATH=${PYTHONPATH:-src}
# A wrong setting (DATABASE_URL, CACHE_URL, STORAGE_BACKEND, ...) stops here with one line naming it.
"$BIN/python" -c 'import sys
from codi import config
try:
    config.load()
except config.ConfigError as exc:
    sys.exit(config.start_failure_line(exc))'
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-var/prometheus}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

pids=()
for _ in $(seq 1 "$TASK_WORKERS"); do
  "$BIN/python" manage.py task_worker --queue-name '*' --interval 1 &
  pids+=($!)
done
# Threaded workers measured best on 2 cores (bench/results/api_overhead.json).
"$BIN/gunicorn" codi.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --log-level warning --timeout 60 &
pids+=($!)
# A task worker asked to stop finishes its current task first, and one task can be long (embedding
# the law corpus takes most of an hour): after STOP_GRACE seconds a second signal stops it at once,
# and its task goes back in the queue for the next start (tasks resume from what the database holds).
STOP_GRACE=${STOP_GRACE:-10}
stop_all() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 $((STOP_GRACE * 5))); do
    kill -0 "${pids[@]}" 2>/dev/null || return 0
    sleep 0.2
  done
  kill "${pids[@]}" 2>/dev/null || true
}
trap stop_all EXIT INT TERM
echo "CODI Digital Platform: http://$HOST:$PORT/  ($WORKERS app processes × $THREADS threads, $TASK_WORKERS task workers)"
wait -n "${pids[@]}"
