#!/usr/bin/python3
# A listener of our own, written with supervisor's childutils: on every unexpected exit it appends one line
# "TIME crashed: GROUP:NAME (pid PID, was FROM)" to the file named in $1 (run it with events=PROCESS_STATE_EXITED).
import sys, time
from supervisor import childutils

log = sys.argv[1] if len(sys.argv) > 1 else "/tmp/crashes.log"
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    fields, _ = childutils.eventdata(payload + "\n")
    if headers["eventname"] == "PROCESS_STATE_EXITED" and fields["expected"] == "0":
        with open(log, "a") as f:
            f.write(f"{time.strftime('%F %T')} crashed: {fields['groupname']}:{fields['processname']} "
                    f"(pid {fields['pid']}, was {fields['from_state']})\n")
    childutils.listener.ok(sys.stdout)
