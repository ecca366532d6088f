#!/usr/bin/env python3
"""Side-by-side benchmark: awesome-kg against the two Python peer pipelines.

    python3 bench/compare.py [--sizes 10000,100000] [--runs 3] [--skip-rdflib-above 100000] [--shared ../shared]

For each size it generates a synthetic list with ../shared/bench/gen_corpus.py, then runs, on
the same file, `awesome-kg build` (every export and the bundled queries) and the peers
`peer_pyoxigraph.py` and `peer_rdflib.py`, measuring wall time and peak RSS with GNU time. It
prints one Markdown table. awesome-kg runs --runs times per size (its figures are the medians,
with the range of times beside them: on a VM one run can be off by half a second); each peer
runs once. Alternating with the full build, awesome-kg also does the peers' own job (Turtle,
N-Triples, DOT, CSV and the peers' three queries: `build --formats ttl,nt,dot,csv,queries`),
in a second table. Needs: cargo, python3, GNU time (/usr/bin/time), and the peers'
packages (installed here with pip if missing). A measurement, not a test: nothing is asserted.
"""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER_PACKAGES = ["markdown-it-py", "rdflib", "pyoxigraph", "networkx", "pydot"]
# What the peers write (Turtle, N-Triples, DOT, CSV) and the bundled queries that ask what
# their three queries ask (entries per section, entries per organization, links per media type).
PEER_JOB_FORMATS = "ttl,nt,dot,csv,queries"
PEER_QUERIES = ["entries-per-section", "entries-by-organization", "links-per-media-type"]


def drop_page_cache():
    """Flushes dirty pages and, where allowed (root on Linux), empties the page cache, so that
    every run starts from the same state: on this benchmark's VM a run that followed another's
    gigabyte of output spent up to 2 s more in the kernel. True when the cache was emptied."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def timed(cmd, out_dir, cwd=None):
    """Runs cmd, which writes into out_dir, under GNU time; returns (seconds, peak MiB, stderr).
    out_dir is removed first, so that every tool writes into a fresh folder (replacing a
    previous run's files would charge this run for freeing theirs: on a file system mounted
    with `discard`, as this benchmark's machine is, a rename over a 4 GB file waits 1.4 s for
    the device to trim its blocks). Dirty pages left by the previous step are flushed and the
    page cache emptied (see drop_page_cache), so no tool pays for another's writes."""
    shutil.rmtree(out_dir, ignore_errors=True)
    drop_page_cache()
    res = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, cwd=cwd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{res.stderr[-2000:]}")
    m = re.search(r"TIME ([0-9.]+) ([0-9]+)\s*$", res.stderr)
    return float(m.group(1)), int(m.group(2)) / 1024, res.stderr


def ensure_peer_packages():
    try:
        import markdown_it, rdflib, pyoxigraph, networkx, pydot  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet"] + PEER_PACKAGES, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", type=int, default=3, help="runs of awesome-kg per size (median reported)")
    ap.add_argument("--skip-rdflib-above", type=int, default=100000)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    bench = os.path.join(args.shared, "bench")
    ensure_peer_packages()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "bench", "--quiet", "--no-run", "--bench", "floor"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "awesome-kg")
    median = lambda xs: sorted(xs)[len(xs) // 2]

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # The bundled queries that ask what the peers' three ask (peer_common.QUERIES).
        peer_queries = os.path.join(tmp, "peer-queries")
        os.makedirs(peer_queries)
        for name in PEER_QUERIES:
            shutil.copy(os.path.join(ROOT, "queries", name + ".rq"), peer_queries)
        for n in [int(s) for s in args.sizes.split(",")]:
            md = os.path.join(tmp, f"c{n}.md")
            gen = subprocess.run([sys.executable, os.path.join(bench, "gen_corpus.py"), "--entries", str(n),
                                  "--seed", "1", "--out", md], capture_output=True, text=True, check=True)
            entries = int(re.search(r"entries=(\d+)", gen.stderr).group(1))
            size_mb = os.path.getsize(md) / 1e6
            runs, job_runs = [], []
            for _ in range(max(1, args.runs)):
                for extra, into in [([], runs), (["--formats", PEER_JOB_FORMATS], job_runs)]:
                    queries = os.path.join(ROOT, "queries") if not extra else peer_queries
                    out = os.path.join(tmp, "akg" if not extra else "akg-job")
                    secs, mib, err = timed([binary, "build", md, "--out", out, "--queries", queries] + extra, out, cwd=ROOT)
                    got = re.search(r"(\d+) entries, (\d+) links, (\d+) triples", err)
                    assert int(got.group(1)) == entries, f"awesome-kg found {got.group(1)} entries, generator says {entries}"
                    into.append((secs, mib))
            times, job_times = [t for t, _ in runs], [t for t, _ in job_runs]
            row = {"n": n, "entries": entries, "mb": size_mb, "triples": int(got.group(3)),
                   "akg": (median(times), median([m for _, m in runs])), "akg_range": (min(times), max(times), len(runs)),
                   "job": (median(job_times), median([m for _, m in job_runs])),
                   "job_range": (min(job_times), max(job_times), len(job_runs))}
            floor = subprocess.run(["cargo", "bench", "--quiet", "--bench", "floor", "--", md], cwd=ROOT,
                                   capture_output=True, text=True, check=True).stdout
            row["floor"] = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", floor)}
            for peer in ["pyoxigraph", "rdflib"]:
                if peer == "rdflib" and n > args.skip_rdflib_above:
                    row[peer] = None
                    continue
                try:
                    out = os.path.join(tmp, peer)
                    row[peer] = timed([sys.executable, os.path.join(bench, f"peer_{peer}.py"), out, md], out)[:2]
                except SystemExit as failure:  # e.g. killed for memory: say so, keep the other rows
                    print(str(failure)[:300], file=sys.stderr)
                    row[peer] = None
            rows.append(row)
            print(f"done {n}", file=sys.stderr)

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}")
    print("Page cache emptied before each run: " + ("yes" if drop_page_cache() else "no (not root); dirty pages flushed") + "\n")
    print("| entries | MB | triples (awesome-kg) | awesome-kg s / MiB (median) | awesome-kg s, runs (min–max) "
          "| pyoxigraph s / MiB | rdflib s / MiB | pyoxigraph ÷ awesome-kg (time, memory) | rdflib ÷ awesome-kg (time) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        a = r["akg"]
        fmt = lambda t: f"{t[0]:.1f} / {t[1]:.0f}" if t else "skipped"
        po, rd = r["pyoxigraph"], r["rdflib"]
        ratio_po = f"{po[0] / a[0]:.2f}×, {po[1] / a[1]:.2f}×" if po else "–"
        ratio_rd = f"{rd[0] / a[0]:.2f}×" if rd else "–"
        lo, hi, k = r["akg_range"]
        print(f"| {r['entries']} | {r['mb']:.1f} | {r['triples']} | {fmt(a)} | {k}: {lo:.1f}–{hi:.1f} | {fmt(po)} "
              f"| {fmt(rd)} | {ratio_po} | {ratio_rd} |")
    print("\nThe peers' own job: graph.ttl, graph.nt, graph.dot, the CSV tables and the three queries "
          f"the peers run (`build --formats {PEER_JOB_FORMATS}`, with {', '.join(PEER_QUERIES)}), "
          "alternating with the full build's runs:\n")
    print("| entries | awesome-kg s / MiB (median) | awesome-kg s, runs (min–max) "
          "| pyoxigraph ÷ awesome-kg (time, memory) | rdflib ÷ awesome-kg (time) |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        j = r["job"]
        po, rd = r["pyoxigraph"], r["rdflib"]
        ratio_po = f"{po[0] / j[0]:.2f}×, {po[1] / j[1]:.2f}×" if po else "–"
        ratio_rd = f"{rd[0] / j[0]:.2f}×" if rd else "–"
        lo, hi, k = r["job_range"]
        print(f"| {r['entries']} | {j[0]:.1f} / {j[1]:.0f} | {k}: {lo:.1f}–{hi:.1f} | {ratio_po} | {ratio_rd} |")
    print("\nParse floor (a bare pulldown-cmark pass over the same bytes on one core) against "
          "awesome-kg's parse on one core, and its parse and parse + extraction as `build` runs them (from "
          "1 MiB on, on every core); seconds are the best of 7 rounds, each running the four in turn, and "
          "÷ floor is the median over the rounds of parse + extraction ÷ the floor of the same round:\n")
    print("| entries | floor s | parse, one core s | parse s | parse + extraction s | ÷ floor |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        f = r["floor"]
        print(f"| {r['entries']} | {f['floor_s']:.3f} | {f['parse_one_core_s']:.3f} | {f['parse_s']:.3f} "
              f"| {f['parse_extract_s']:.3f} | {f['ratio']:.1f}× |")


if __name__ == "__main__":
    main()
