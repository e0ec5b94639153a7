#!/bin/sh
# A job that works for a few seconds, then crashes with an unexpected exit code; autorestart brings it back.
echo "crasher: starting work"
sleep 3
echo "crasher: something went wrong" >&2
exit 3
