#!/bin/sh
# A batch job that finishes with exit code 2, which its exitcodes list accepts: EXITED (expected), not restarted.
echo "oneshot: processed the batch"
sleep 2
exit 2
