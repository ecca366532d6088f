#!/usr/bin/env python3
"""Runs a command and prints, for each interval of its run, how busy the machine's cores were
(user, kernel, idle, waiting for I/O, in % of one core, so 200% is two cores) and how many MB
the disks wrote: where a build waits for one core or for the disk.

    python3 bench/timeline.py [--every 1.0] -- target/release/awesome-kg build big.md --out /tmp/out

Linux only (/proc/stat, /proc/diskstats). The figures are the whole machine's, not the
command's alone: run it on an otherwise idle machine. The command's own output goes to
stdout/stderr as usual; the table goes to stderr once it is done.
"""
import argparse
import os
import subprocess
import sys
import time


def cpu_ticks():
    """user, kernel, idle, iowait ticks of all cores."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = v[:7]
    return user + nice, system + irq + softirq, idle, iowait


def sectors_written():
    """Sectors written by whole disks (partitions, loop and ram devices left out)."""
    total = 0
    with open("/proc/diskstats") as f:
        for line in f:
            x = line.split()
            name = x[2]
            if name.startswith(("loop", "ram", "dm-")) or not os.path.exists(f"/sys/block/{name}"):
                continue
            total += int(x[9])
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=float, default=1.0, help="seconds per row")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command given")
    cores = os.cpu_count() or 1
    rows = []
    start = time.monotonic()
    prev_cpu, prev_disk = cpu_ticks(), sectors_written()
    child = subprocess.Popen(command)
    while True:
        try:
            child.wait(timeout=args.every)
            done = True
        except subprocess.TimeoutExpired:
            done = False
        cpu, disk = cpu_ticks(), sectors_written()
        delta = [c - p for c, p in zip(cpu, prev_cpu)]
        total = sum(delta) or 1
        elapsed = time.monotonic() - start
        seconds = elapsed - (rows[-1][0] if rows else 0.0)
        share = [100 * cores * d / total for d in delta]
        rows.append((elapsed, *share, (disk - prev_disk) * 512 / 1e6 / max(seconds, 1e-9)))
        prev_cpu, prev_disk = cpu, disk
        if done:
            break
    print(f"{'s':>6} {'user %':>7} {'kernel %':>9} {'idle %':>7} {'iowait %':>9} {'disk MB/s':>10}", file=sys.stderr)
    for t, user, kernel, idle, iowait, mbs in rows:
        print(f"{t:6.1f} {user:7.0f} {kernel:9.0f} {idle:7.0f} {iowait:9.0f} {mbs:10.0f}", file=sys.stderr)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
