#!/bin/sh
# A web-like worker: announces itself, then serves "requests" (one log line a second) until stopped.
echo "web worker ${SUPERVISOR_PROCESS_NAME:-?} listening on port ${PORT:-8000}"
trap 'echo "web worker ${SUPERVISOR_PROCESS_NAME:-?} draining"; exit 0' TERM
n=0
while :; do
  n=$((n + 1))
  echo "handled request $n"
  sleep 1 &
  wait $!
done
