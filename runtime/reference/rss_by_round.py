#!/usr/bin/env python3
"""Resident memory of a fedklpr run at the end of every round.

Runs the command given after --, reads its per-round table from standard output and, whenever a
round's "mean" line appears, reads the process's resident set (VmRSS) and, when FEDKLPR_JAVA_OPTS
holds -XX:NativeMemoryTracking=summary, the Java heap's committed size from jcmd. Prints one line
per round and, at the end, the growth between two rounds (--from, --to).

    python3 runtime/reference/rss_by_round.py --from 10 --to 200 -- ./fedklpr demo --rounds 200
"""
import argparse
import os
import re
import subprocess
import sys

ROW = re.compile(r"^\s*(\d+)\s+\S")
MEAN = re.compile(r"^\s+mean\s")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def heap_mb(pid):
    """Committed Java heap from native memory tracking, or None when it is off."""
    try:
        out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"Java Heap \(reserved=\d+KB, committed=(\d+)KB\)", out)
    return int(match.group(1)) / 1024 if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--from", dest="first", type=int, default=10)
    parser.add_argument("--to", dest="last", type=int, default=None)
    parser.add_argument("--gc", action="store_true",
                        help="ask the JVM for a garbage collection (jcmd GC.run) at the end of every round first")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command and args.command[0] == "--" else args.command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    # jcmd starts a JVM of its own (about a second of CPU a round): ask only when tracking is on.
    tracking = "NativeMemoryTracking" in os.environ.get("FEDKLPR_JAVA_OPTS", "")
    by_round = {}
    last_round = None
    for line in process.stdout:
        row = ROW.match(line)
        if row:
            last_round = int(row.group(1))
        elif MEAN.match(line) and last_round is not None:
            if args.gc:
                subprocess.run(["jcmd", str(process.pid), "GC.run"], capture_output=True, timeout=60)
            rss = rss_mb(process.pid)
            heap = heap_mb(process.pid) if tracking else None
            by_round[last_round] = rss
            print(f"round {last_round:4d}  rss {rss:8.1f} MB" + (f"  heap committed {heap:7.1f} MB" if heap else ""),
                  flush=True)
    code = process.wait()
    last = args.last if args.last is not None else max(by_round, default=0)
    if args.first in by_round and last in by_round:
        print(f"growth from round {args.first} to {last}: {by_round[last] - by_round[args.first]:+.1f} MB "
              f"({by_round[args.first]:.1f} -> {by_round[last]:.1f})")
    sys.exit(code)


if __name__ == "__main__":
    main()
