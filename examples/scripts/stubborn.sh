#!/bin/sh
# A daemon that ignores SIGTERM: stopping it ends with SIGKILL after stopwaitsecs.
trap 'echo "stubborn: ignoring SIGTERM"' TERM
echo "stubborn: running as pid $$"
while :; do
  sleep 1 &
  wait $!
done
