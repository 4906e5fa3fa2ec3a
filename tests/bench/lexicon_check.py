#!/usr/bin/python3
"""Check dict/lexicon.txt against jieba, run by hand (see tests/bench/README.md).

Usage (from the project root, with Debian's python: /usr/bin/python3):
  tests/bench/lexicon_check.py freqs [--write] [--margin M]
  tests/bench/lexicon_check.py corpus
  tests/bench/lexicon_check.py sighan [--fast]
  tests/bench/lexicon_check.py all          # freqs, corpus and sighan

freqs   For every entry, the frequency it needs to stay one token in jieba's
        model (log(freq/total) per word, maximum-probability path):
        threshold = max over the ways to split the word into dictionary
        pieces (jieba's dict.txt plus the other lexicon entries, a character
        not in the dictionary counting 1) of prod(freq_i) / total^(k-1).
        The suggested frequency is max(jieba's own, threshold * margin),
        rounded up to two significant digits, at least 10; the margin
        (default 20) is what lets the word also beat paths that cross its
        edges.  --write rewrites the frequency column of dict/lexicon.txt
        with the suggested values (comments, order and tags kept); it keeps
        a frequency that is already higher (raised by hand for a context,
        see `need`) unless --reset is given.  Entries whose frequency is
        below threshold * margin are listed.
corpus  Every lexicon entry that occurs in corpus/*.txt must come out of
        jieba + lexicon as one token at every occurrence where it is not part
        of a longer lexicon entry, with the HMM on and off.  An occurrence
        cut into pieces inside the term is a failure; one where a token
        crosses the term's edge (紧紧围绕/中心工作 against 围绕中心) is another
        reading of overlapping words and is only listed.
need WORD TEXT
        The frequency WORD needs to come out whole in TEXT, given the rest of
        the dictionary (jieba's model over the whole text, exact): use it
        when a term loses to an overlapping reading in real text.
sighan  jieba vs jieba + lexicon on the SIGHAN 2005 PKU and MSR test sets
        (../shared/data/icwb2), scored like the bakeoff's perl script
        (score.py), HMM on and off, and the lexicon entries that changed
        any test line, with their number of occurrences.

Exit status: 0 when every check passed, 1 when one failed, 2 on usage errors.
"""

import argparse
import glob
import logging
import math
import os
import sys
import tempfile

import jieba

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LEXICON = os.path.join(ROOT, "dict", "lexicon.txt")
CORPUS = os.path.join(ROOT, "corpus")
ICWB2 = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "icwb2"))
JIEBA_DICT = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")

MIN_FREQ = 10  # floor of a suggested frequency

sys.path.insert(0, HERE)
import score  # noqa: E402


class Entry:
    def __init__(self, lineno, word, freq, tag):
        self.lineno, self.word, self.freq, self.tag = lineno, word, freq, tag


def read_lexicon(path=LEXICON):
    """Our format: jieba's `word [freq] [tag]`, plus # comments, blank lines."""
    entries, lines = [], []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            lines.append(raw)
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
                sys.exit("%s:%d: expected `word [freq] [tag]`" % (path, n))
            freq = int(parts[1]) if len(parts) > 1 else 0
            tag = parts[2] if len(parts) > 2 else ""
            entries.append(Entry(n, parts[0], freq, tag))
    seen = {}
    for e in entries:
        if e.word in seen:
            sys.exit("%s:%d: duplicate of line %d: %s"
                     % (path, e.lineno, seen[e.word], e.word))
        seen[e.word] = e.lineno
    return entries, lines


def read_jieba_dict():
    freq = {}
    with open(JIEBA_DICT, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
    return freq


def best_split(word, freq, total):
    """Best log-probability of `word` cut into >= 2 pieces (jieba's model)."""
    n = len(word)
    logt = math.log(total)
    best = [-math.inf] * (n + 1)
    best[n] = 0.0
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n + 1):
            if i == 0 and j == n:
                continue  # the word itself
            piece = word[i:j]
            f = freq.get(piece, 0)
            if f <= 0:
                if j - i > 1:
                    continue
                f = 1  # jieba: an unknown single character counts 1
            v = math.log(f) - logt + best[j]
            if v > best[i]:
                best[i] = v
    return best[0]


def round_up2(x):
    """Round up to two significant digits (so numbers stay readable)."""
    if x < 100:
        return int(math.ceil(x))
    e = 10 ** (int(math.floor(math.log10(x))) - 1)
    return int(math.ceil(x / e) * e)


def compute_freqs(entries, margin, keep_raised=True):
    """Suggested frequency per entry, shorter entries first (a longer entry
    must beat splits that use the shorter entries' final frequencies).
    With keep_raised, an entry whose frequency is already above the
    suggestion keeps it (raised by hand for a context, see `need`)."""
    jf = read_jieba_dict()
    total = sum(jf.values())
    freq = dict(jf)
    out = {}
    for e in sorted(entries, key=lambda e: len(e.word)):
        thr = math.exp(best_split(e.word, freq, total) + math.log(total))
        sugg = max(jf.get(e.word, 0), round_up2(max(thr * margin, MIN_FREQ)))
        if keep_raised and e.freq > sugg:
            sugg = e.freq
        out[e.word] = (thr, sugg, jf.get(e.word, 0))
        freq[e.word] = sugg
        total += sugg
    return out


def cmd_freqs(args):
    entries, lines = read_lexicon()
    sugg = compute_freqs(entries, args.margin, keep_raised=not args.reset)
    bad = 0
    for e in entries:
        thr, s, jfreq = sugg[e.word]
        if args.verbose or e.freq < thr * args.margin:
            print("%s:%d: %s freq %d, threshold %.1f, jieba %d, suggested %d"
                  % (os.path.relpath(LEXICON), e.lineno, e.word, e.freq, thr,
                     jfreq, s))
        if e.freq < thr * args.margin:
            bad += 1
    if args.write:
        by_line = {e.lineno: e for e in entries}
        with open(LEXICON, "w", encoding="utf-8") as f:
            for n, raw in enumerate(lines, 1):
                e = by_line.get(n)
                if e is None:
                    f.write(raw)
                else:
                    f.write(" ".join(x for x in (e.word, str(sugg[e.word][1]),
                                                 e.tag) if x) + "\n")
        print("rewrote %s (%d entries)" % (os.path.relpath(LEXICON),
                                           len(entries)))
        return 0
    n_new = sum(1 for e in entries if sugg[e.word][2] == 0)
    print("freqs: %d entries (%d not in jieba's dict.txt), %d below "
          "threshold x %g" % (len(entries), n_new, bad, args.margin))
    return 1 if bad else 0


def tokenizer(entries):
    jieba.setLogLevel(logging.WARNING)
    t = jieba.Tokenizer()
    t.initialize()
    for e in entries or []:
        # Our words override jieba's frequency (as gw-dict-compile does):
        # jieba's add_word adds the new frequency to the total without taking
        # the old one out, so take it out here.
        old = t.FREQ.get(e.word, 0)
        t.add_word(e.word, e.freq or None, e.tag or None)
        t.total -= old
    return t


def occurrences(text, words):
    """(start, word) of each lexicon word in text, skipping occurrences
    inside a longer lexicon word's occurrence."""
    found = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            found.append((i, i + len(w), w))
            i = text.find(w, i + 1)
    keep = []
    for s, e, w in found:
        if any(s2 <= s and e <= e2 and (e2 - s2) > (e - s)
               for s2, e2, _ in found):
            continue
        keep.append((s, e, w))
    return keep


def cmd_corpus(args):
    entries, _ = read_lexicon()
    tok = tokenizer(entries)
    words = [e.word for e in entries]
    split, crossed, seen = {}, {}, {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.txt"))):
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
        for line in text.splitlines():
            occ = occurrences(line, words)
            if not occ:
                continue
            for hmm in (True, False):
                toks, pos = [], 0
                for w in tok.cut(line, HMM=hmm):
                    toks.append((pos, pos + len(w)))
                    pos += len(w)
                bounds = set(toks)
                for s, e, w in occ:
                    if hmm:
                        seen[w] = seen.get(w, 0) + 1
                    if (s, e) in bounds:
                        continue
                    # A token crossing the term's edge is another reading of
                    # overlapping words (紧紧围绕/中心工作 against 围绕中心):
                    # reported, not a failure.  Pieces strictly inside the
                    # term mean the term lost to its own split: a failure.
                    cross = any(a < s < b or a < e < b for a, b in toks)
                    ctx = line[max(0, s - 8):e + 8]
                    why = "%s HMM=%s: …%s… → %s" % (
                        os.path.basename(path), hmm, ctx,
                        "/".join(tok.lcut(ctx, HMM=hmm)))
                    (crossed if cross else split).setdefault(w, []).append(why)
    if args.verbose:
        for w in sorted(seen, key=lambda w: (-seen[w], w)):
            print("%5d  %s%s" % (seen[w], w, "  SPLIT" if w in split else
                                 "  (crossed)" if w in crossed else ""))
    for w, why in crossed.items():
        for y in why[:2]:
            print("corpus: crossed (overlapping reading, not a failure): "
                  "%s: %s" % (w, y))
    for w, why in split.items():
        for y in why[:3]:
            print("corpus: SPLIT: %s: %s" % (w, y))
    print("corpus: %d lexicon entries occur in corpus/ (%d occurrences); "
          "%d split into pieces somewhere, %d crossed by an overlapping word"
          % (len(seen), sum(seen.values()), len(split), len(crossed)))
    return 1 if split else 0


def context_need(tok, text, s, e):
    """The smallest frequency at which text[s:e] is a token of jieba's
    maximum-probability path over `text` (other words as in tok)."""
    n = len(text)
    logt = math.log(tok.total)
    dag = tok.get_DAG(text)
    edges = [(i, j + 1) for i in range(n) for j in dag[i]]

    def logp(i, j):
        return math.log(tok.FREQ.get(text[i:j]) or 1) - logt

    def best(skip):
        b = [-math.inf] * (n + 1)
        b[n] = 0.0
        for i in range(n - 1, -1, -1):
            for j in dag[i]:
                if (i, j + 1) == skip:
                    continue
                b[i] = max(b[i], logp(i, j + 1) + b[j + 1])
        return b

    def forward():
        f = [-math.inf] * (n + 1)
        f[0] = 0.0
        for i, j in sorted(edges):
            f[j] = max(f[j], f[i] + logp(i, j))
        return f

    without = best((s, e))[0]
    pre, suf = forward()[s], best(None)[e]
    return math.exp(without - pre - suf + logt)


def cmd_need(args):
    """need WORD TEXT: the frequency WORD needs to be a token in TEXT."""
    entries, _ = read_lexicon()
    tok = tokenizer([x for x in entries if x.word != args.word])
    i = args.text.find(args.word)
    if i < 0:
        sys.exit("need: %s does not occur in the text" % args.word)
    f = context_need(tok, args.text, i, i + len(args.word))
    print("%s needs freq > %.1f in %s (jieba + lexicon: %s)" % (
        args.word, f, args.text, "/".join(tokenizer(entries).lcut(args.text))))
    return 0


def segment_file(tok, path, out, hmm):
    with open(path, encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    segs = [tok.lcut(ln, HMM=hmm) for ln in lines]
    with open(out, "w", encoding="utf-8") as f:
        for ws in segs:
            f.write(" ".join(ws) + "\n")
    return lines, segs


def span_set(words):
    out, pos = set(), 0
    for w in words:
        if w.strip():
            out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def right_and_count(words, gold):
    """(gold words hit by span, test words) of one line, spaces ignored."""
    test = [w for w in words if w.strip()]
    ws = span_set([w for w in words if w.strip()])
    return len(ws & span_set(gold)), len(test)


def ablate(lex, entries, jf, lines, gold, segs, hmm):
    """Per entry: the change in right words and in test words on the lines
    whose segmentation the lexicon changed, when only that entry is taken
    back to jieba's own frequency (0 if jieba lacks it)."""
    effect = {}
    for e in entries:
        idx = [i for i in lines if e.word in lines[i]]
        if not idx:
            continue
        saved = lex.FREQ[e.word]
        lex.FREQ[e.word] = jf.get(e.word, 0)
        dr = dt = 0
        for i in idx:
            r1, t1 = right_and_count(segs[i], gold[i])
            r0, t0 = right_and_count(lex.lcut(lines[i], HMM=hmm), gold[i])
            dr += r1 - r0
            dt += t1 - t0
        lex.FREQ[e.word] = saved
        if dr or dt:
            effect[e.word] = (dr, dt)
    return effect


def cmd_sighan(args):
    entries, _ = read_lexicon()
    plain, lex = tokenizer(None), tokenizer(entries)
    jf = read_jieba_dict()
    worse = False
    effects = {}
    with tempfile.TemporaryDirectory(prefix="gwlex") as tmp:
        print("%-6s %-5s %-16s %6s %6s %6s %6s %6s"
              % ("set", "HMM", "segmenter", "R", "P", "F1", "Roov", "Riv"))
        for name in ("pku", "msr"):
            test = os.path.join(ICWB2, name + "_test.utf8")
            gold_path = os.path.join(ICWB2, name + "_test_gold.utf8")
            train = os.path.join(ICWB2, name + "_training_words.utf8")
            with open(gold_path, encoding="utf-8") as f:
                gold = [ln.split() for ln in f]
            for hmm in (True, False):
                res, segs = {}, {}
                for label, tok in (("jieba", plain), ("jieba+lexicon", lex)):
                    out = os.path.join(tmp, "%s.%s.%s" % (name, label, hmm))
                    lines, segs[label] = segment_file(tok, test, out, hmm)
                    m = score.metrics(score.score(train, gold_path, out,
                                                  fast=args.fast))
                    res[label] = m
                    print("%-6s %-5s %-16s %6.3f %6.3f %6.3f %6.3f %6.3f"
                          % (name, "on" if hmm else "off", label, m["R"],
                             m["P"], m["F"], m["Roov"], m["Riv"]))
                if round(res["jieba+lexicon"]["F"], 3) < round(res["jieba"]["F"], 3):
                    worse = True
                changed = {i: ln for i, ln in enumerate(lines)
                           if segs["jieba"][i] != segs["jieba+lexicon"][i]}
                eff = ablate(lex, entries, jf, changed, gold,
                             segs["jieba+lexicon"], hmm)
                for w, (dr, dt) in eff.items():
                    a = effects.setdefault(w, {})
                    a["%s/%s" % (name, "hmm" if hmm else "nohmm")] = (dr, dt)
    # An entry helps when it adds right words without adding more test words
    # than right ones; net = right words gained - wrong test words added.
    rows = []
    for w, a in effects.items():
        net = sum(2 * dr - dt for dr, dt in a.values())
        rows.append((net, w, a))
    for net, w, a in sorted(rows):
        print("sighan: %-14s net %+4d  %s" % (w, net, "  ".join(
            "%s %+d right %+d words" % (k, dr, dt)
            for k, (dr, dt) in sorted(a.items()))))
    print("sighan: F1 %s" % ("DROPPED with the lexicon" if worse
                             else "did not drop with the lexicon"))
    return 1 if worse else 0


def main():
    ap = argparse.ArgumentParser(
        description="Check dict/lexicon.txt against jieba (see --help).",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("command", choices=("freqs", "corpus", "sighan", "need", "all"))
    ap.add_argument("word", nargs="?")
    ap.add_argument("text", nargs="?")
    ap.add_argument("--reset", action="store_true",
                    help="freqs --write: recompute every frequency, also "
                    "lowering hand-raised ones")
    ap.add_argument("--margin", type=float, default=20.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--fast", action="store_true",
                    help="sighan: span scoring instead of diff -y (faster)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    rc = 0
    if args.command == "need":
        if not args.word or not args.text:
            ap.error("need WORD TEXT")
        return cmd_need(args)
    if args.command in ("freqs", "all"):
        rc |= cmd_freqs(args)
    if args.command in ("corpus", "all"):
        rc |= cmd_corpus(args)
    if args.command in ("sighan", "all"):
        rc |= cmd_sighan(args)
    return rc


if __name__ == "__main__":
    sys.exit(main())
