#!/usr/bin/python3
"""Segment a file line by line with jieba (python3-jieba), run by hand.

Usage: seg_jieba.py [--no-hmm] [--lexicon FILE] [--time] INPUT [OUTPUT]

Each input line becomes one output line: jieba.cut(line, HMM=...) joined by
single spaces (line ends are stripped first; an empty line stays empty).
--lexicon loads a user dictionary in jieba's format; lines starting with #
(gongwen's comments, see dict/README.md) are skipped.  --time prints one JSON
line on stderr: the dictionary load time and the segmentation time alone
(the loop over lines, output excluded), input bytes and tokens; without
--time the output is written as it is produced.  INPUT may be a folder: its
files, in byte order of their names, one after the other (read one at a
time, as gw-seg reads a folder; streaming only).
Must run with /usr/bin/python3 (Debian's python3-jieba).
"""
import argparse
import json
import logging
import os
import sys
import time

import jieba


def load_lexicon(tok, path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            word = parts[0]
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[2] if len(parts) > 2 else None
            old = tok.FREQ.get(word, 0)
            tok.add_word(word, freq, tag)
            tok.total -= old  # override jieba's frequency, as gongwen does


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [ln.rstrip("\r\n") for ln in f]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-hmm", action="store_true")
    ap.add_argument("--lexicon")
    ap.add_argument("--time", action="store_true")
    ap.add_argument("input")
    ap.add_argument("output", nargs="?")
    a = ap.parse_args()
    jieba.setLogLevel(logging.WARNING)
    folder = os.path.isdir(a.input)
    if folder and a.time:
        sys.exit("seg_jieba.py: --time takes a file, not a folder")
    if folder:
        names = sorted(os.listdir(a.input), key=os.fsencode)
        inputs = [p for p in (os.path.join(a.input, n) for n in names) if os.path.isfile(p)]
    else:
        inputs = [a.input]
    lines = [] if folder else read_lines(a.input)
    t0 = time.perf_counter()
    tok = jieba.Tokenizer()
    tok.initialize()
    if a.lexicon:
        load_lexicon(tok, a.lexicon)
    t1 = time.perf_counter()
    hmm = not a.no_hmm
    if not a.time:
        # Streaming: written as produced (run.sh's peak-RSS row).
        f = open(a.output, "w", encoding="utf-8") if a.output else sys.stdout
        for path in inputs:
            for ln in read_lines(path) if folder else lines:
                f.write(" ".join(tok.cut(ln, HMM=hmm)) + "\n")
        if a.output:
            f.close()
        return
    out = [list(tok.cut(ln, HMM=hmm)) for ln in lines]
    t2 = time.perf_counter()
    text = "".join(" ".join(w for w in ws) + "\n" for ws in out)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if a.time:
        nbytes = os.path.getsize(a.input)
        ntok = sum(1 for ws in out for w in ws if not w.isspace())
        print(json.dumps({"peer": "jieba" + ("" if hmm else "-nohmm"),
                          "load_s": t1 - t0, "seg_s": t2 - t1,
                          "bytes": nbytes, "tokens": ntok}), file=sys.stderr)


if __name__ == "__main__":
    main()
