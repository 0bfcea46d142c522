#!/usr/bin/env python3
"""How fast the coordinator notices a site lost in the middle of a round (docs/BENCHMARKS.md).

Starts a coordinator and three sites on loopback, waits for round 0, lets round 1 run into the
sites' training, then takes one site away and times the coordinator's "site ... lost" line:
by default it kills the site (SIGKILL: its kernel closes the connection at once); with --freeze it
stops it (SIGSTOP: the connection stays open and nothing on it answers any more, which is what the
coordinator sees of a host that lost power or its network: no FIN, no reply), and kills it after.

    python3 runtime/reference/kill_detection.py CREDENTIALS DATA [PORT] [--freeze]

CREDENTIALS: a folder from `fedklpr credentials --sites client-1,client-2,client-3`;
DATA: a world with the folders client-1..3 (e.g. written by `fedklpr run` of a 3-client feature).
"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

home = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
fedklpr = os.path.join(home, "fedklpr")
freeze = "--freeze" in sys.argv
arguments = [argument for argument in sys.argv[1:] if argument != "--freeze"]
credentials, data = os.path.abspath(arguments[0]), os.path.abspath(arguments[1])
port = arguments[2] if len(arguments) > 2 else "7091"
work = tempfile.mkdtemp(prefix="kill-detection-")
run = os.path.join(work, "run")

coordinator = subprocess.Popen(
    [fedklpr, "coordinator", os.path.join(home, "features/coordinator.json"), "--listen", "127.0.0.1:" + port,
     "--credentials", credentials, "--rounds", "2", "--out", run,
     "--set", "org.fedklpr.coordinator:batchSize=16", "--set", "org.fedklpr.coordinator:localEpochs=40"],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
noticed = {}


def read():
    for line in coordinator.stdout:
        if " lost: " in line and "client-3" in line and "at" not in noticed:
            noticed["at"] = time.time()
            noticed["line"] = line.strip()


threading.Thread(target=read, daemon=True).start()
time.sleep(2)
sites = {}
for site in ["client-1", "client-2", "client-3"]:
    sites[site] = subprocess.Popen(
        [fedklpr, "site", os.path.join(home, "features/site.json"), "--coordinator", "localhost:" + port,
         "--name", site, "--data", os.path.join(data, site), "--state", os.path.join(work, "state", site),
         "--token-file", os.path.join(credentials, site + ".token"), "--trust", os.path.join(credentials, "ca.pem")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
metrics = os.path.join(run, "metrics.jsonl")
while not (os.path.exists(metrics) and len(open(metrics).readlines()) >= 3):
    time.sleep(0.1)
time.sleep(2.5)
killed = time.time()
target = sites["client-3"].pid  # the site's JVM itself: the fedklpr script execs java
os.kill(target, signal.SIGSTOP if freeze else signal.SIGKILL)
while "at" not in noticed and time.time() - killed < 120:
    time.sleep(0.005)
print("%s -> coordinator notices: %.3f s" % ("SIGSTOP" if freeze else "kill -9",
                                             noticed.get("at", float("nan")) - killed))
print(noticed.get("line"))
if freeze:
    os.kill(target, signal.SIGKILL)
coordinator.wait(timeout=600)
for site in ["client-1", "client-2"]:
    sites[site].wait(timeout=60)
