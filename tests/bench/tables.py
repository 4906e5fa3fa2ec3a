#!/usr/bin/python3
"""Format run.sh's raw results as Markdown tables (run by hand via run.sh).

  tables.py accuracy ROWS   ROWS: lines `set<TAB>name<TAB>R P F OOV Roov Riv`
                            as printed by `score.py --row` (set prefixed)
  tables.py speed JSONL     one JSON object per line from the --time runs
  tables.py rss ROWS        lines `name<TAB>max_rss_kb<TAB>wall_s`
"""
import json
import sys


def accuracy(path):
    data, order = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 8:
                continue
            s, name = p[0], p[1]
            r, pr, fm, oov, roov, riv = p[2:8]
            if name not in data:
                data[name] = {}
                order.append(name)
            data[name][s] = (pr, r, fm, roov, riv)
    sets = ["pku", "msr"]
    head = "| segmenter |" + "".join(
        " %s P | %s R | %s F1 | %s R_oov | %s R_iv |" % ((s.upper(),) * 5)
        for s in sets)
    print(head)
    print("|---|" + "---:|" * 5 * len(sets))
    for name in order:
        cells = []
        for s in sets:
            cells += list(data[name].get(s, ("–",) * 5))
        print("| %s | %s |" % (name, " | ".join(cells)))


def speed(path):
    """Best (smallest) load and segmentation time per peer over its runs."""
    best, order = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            p = d["peer"]
            if p not in best:
                best[p] = dict(d, runs=0)
                order.append(p)
            b = best[p]
            b["runs"] += 1
            b["load_s"] = min(b["load_s"], d["load_s"])
            b["seg_s"] = min(b["seg_s"], d["seg_s"])
    print("| segmenter | runs | dictionary load (s) | segmentation (s) | MB/s | tokens/s | tokens |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for p in order:
        d = best[p]
        mb = d["bytes"] / 1e6 / d["seg_s"]
        tps = d["tokens"] / d["seg_s"]
        print("| %s | %s | %.3f | %.3f | %.2f | %s | %s |" % (
            p, d.get("best_of", d["runs"]), d["load_s"], d["seg_s"], mb,
            format(int(round(tps)), ","), format(d["tokens"], ",")))


def rss(path):
    print("| program | peak RSS (MB) | wall time (s) |")
    print("|---|---:|---:|")
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) == 3:
                print("| %s | %.1f | %s |" % (p[0], int(p[1]) / 1024, p[2]))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("accuracy", "speed", "rss"):
        sys.exit(__doc__)
    {"accuracy": accuracy, "speed": speed, "rss": rss}[sys.argv[1]](sys.argv[2])
