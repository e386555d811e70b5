#!/usr/bin/env bash
# Start the platform: one background-task worker and gunicorn. Stopping either stops both.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${WORKERS:-3}
THREADS=${THREADS:-4}
export PYTHONPATH=${PYTHONPATH:-src}
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-var/prometheus}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

"$BIN/python" manage.py db_worker --queue-name '*' --interval 1 --no-reload &
worker=$!
# Threaded workers measured best on 2 cores (bench/results/api_overhead.json).
"$BIN/gunicorn" codi.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --log-level warning --timeout 60 &
server=$!
trap 'kill "$worker" "$server" 2>/dev/null || true' EXIT INT TERM
echo "CODI Digital Platform: http://$HOST:$PORT/  (background worker pid $worker)"
wait -n "$worker" "$server"
