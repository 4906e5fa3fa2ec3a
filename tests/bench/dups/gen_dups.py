#!/usr/bin/python3
"""Planted-duplicate benchmark generator for gw-dups (run by hand, see
README.md; never part of the build or the tests).

    gen_dups.py OUT_DIR PARAGRAPHS [SEED] [--families]

Writes OUT_DIR/docs/dNNNNNN.txt (reports of about 10 paragraphs, one per
line) and OUT_DIR/truth.tsv, one planted pair per line:

    kind  src_path  src_start  src_end  dst_path  dst_start  dst_end  jaccard  containment  shared

- every file starts with a title line of random words;
- paragraphs come from corpus/ (the seed reports) and background paragraphs
  built from the icwb2 word lists (../shared/data/icwb2): random words, so
  that background paragraphs share no run of 13 characters by accident;
- a tenth of the paragraphs are planted copies of another paragraph, in
  another document, with one kind of edit: exact, edit2/5/10/20/30 (that
  share of characters substituted, inserted or deleted), reorder (clauses
  shuffled), delete (a clause dropped), mask (**局 / xxx局 / 某局 swapped),
  punct (full/half-width punctuation), linebreak (hard-wrapped every 20-40
  characters), partial (2-4 sentences of the source inside a new paragraph);
- byte ranges are of the paragraph (partial: of the copied sentences) in
  each file; jaccard and containment are the true values over character
  4-gram shingles of the characters gw-dups counts (letters and digits,
  punctuation and spaces dropped, masks as one character); shared is the
  longest run of characters common to both (for partial copies).

With --families (the family-free set is unchanged without it), template
families are planted too, in paragraphs no planted pair uses: another tenth
of the paragraphs are copies of a source paragraph in 2 to 300 documents (a
long tail: most families 2-5 documents, some dozens, a few hundreds), a fifth
of them drawn from a pool of 100 template paragraphs; 70 % exact copies, 30 %
with 2 % of the characters edited; and one document in 200 is written again
whole under another name (dNNNNNN_dup.txt).  OUT_DIR/families.tsv lists
every member (family, source or copy, path, byte range), OUT_DIR/dups.tsv
the exact duplicate documents.

Deterministic: the same arguments give the same files.
"""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
ICWB2 = os.environ.get('GW_ICWB2_DIR') or os.path.normpath(
    os.path.join(ROOT, '..', 'shared', 'data', 'icwb2'))

KINDS = ['exact', 'edit2', 'edit5', 'edit10', 'edit20', 'edit30', 'reorder',
         'delete', 'mask', 'punct', 'linebreak', 'partial']
MASK_RE = re.compile(r'\*+|(?<![A-Za-z])[xX]+(?![A-Za-z])|×+')
K = 4


def units(text):
    """The characters gw-dups counts: masks as one, punctuation dropped."""
    out = []
    i = 0
    while i < len(text):
        m = MASK_RE.match(text, i)
        if m:
            out.append('\0')
            i = m.end()
            continue
        c = text[i]
        if c.isalnum():
            # full-width letters and digits fold to ASCII, as normalized
            o = ord(c)
            if 0xFF10 <= o <= 0xFF5A:
                c = chr(o - 0xFEE0)
            out.append(c.lower())
        i += 1
    return out


def shingles(u, k=K):
    return {tuple(u[i:i + k]) for i in range(len(u) - k + 1)}


def jc(a, b, k=K):
    sa, sb = shingles(units(a), k), shingles(units(b), k)
    if not sa or not sb:
        return 0.0, 0.0
    inter = len(sa & sb)
    return inter / len(sa | sb), inter / min(len(sa), len(sb))


def load_words():
    words = []
    for name in ('pku_training_words.utf8', 'msr_training_words.utf8'):
        with open(os.path.join(ICWB2, name), encoding='utf-8') as f:
            for line in f:
                w = line.strip()
                if 0 < len(w) <= 4 and all('\u4e00' <= c <= '\u9fff' for c in w):
                    words.append(w)
    return words


def load_corpus_paragraphs():
    paras = []
    cdir = os.path.join(ROOT, 'corpus')
    for name in sorted(os.listdir(cdir)):
        if not name.endswith('.txt'):
            continue
        with open(os.path.join(cdir, name), encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if len(line) >= 40 and '哒哒' not in line and 'paid' not in line:
                    paras.append(line)
    return paras


def background(rng, words, sentences=None):
    n = sentences or rng.randint(2, 5)
    out = []
    for _ in range(n):
        clauses = []
        for _ in range(rng.randint(2, 4)):
            clauses.append(''.join(rng.choice(words) for _ in range(rng.randint(3, 7))))
        out.append('，'.join(clauses) + '。')
    return ''.join(out)


def han(rng):
    return chr(rng.randint(0x4E00, 0x9FA5))


def edit(rng, text, rate):
    chars = list(text)
    positions = [i for i, c in enumerate(chars) if '\u4e00' <= c <= '\u9fff']
    n = max(1, round(len(positions) * rate))
    for i in sorted(rng.sample(positions, min(n, len(positions))), reverse=True):
        op = rng.random()
        if op < 0.6:
            chars[i] = han(rng)
        elif op < 0.8:
            chars.insert(i, han(rng))
        else:
            del chars[i]
    return ''.join(chars)


def clauses_of(text):
    parts = re.split(r'(?<=[，。；！？])', text)
    return [p for p in parts if p]


def mutate(rng, kind, src, words):
    """The copy of src and, for partial copies, the copied sentences."""
    if kind == 'exact':
        return src, None
    if kind.startswith('edit'):
        return edit(rng, src, int(kind[4:]) / 100.0), None
    if kind == 'reorder':
        cl = clauses_of(src)
        if len(cl) < 2:
            return src, None
        body = [c.rstrip('，。；！？') for c in cl]
        rng.shuffle(body)
        return '，'.join(body) + '。', None
    if kind == 'delete':
        cl = clauses_of(src)
        if len(cl) < 3:
            return src, None
        del cl[rng.randrange(len(cl))]
        return ''.join(cl), None
    if kind == 'mask':
        return re.sub(r'\*\*局|xxx局|某局',
                      lambda m: rng.choice(['**局', 'xxx局', '某局']), src), None
    if kind == 'punct':
        table = str.maketrans({'，': ',', '。': '.', '；': ';', '：': ':',
                               '！': '!', '？': '?', '（': '(', '）': ')'})
        return src.translate(table), None
    if kind == 'linebreak':
        out, i = [], 0
        while i < len(src):
            step = rng.randint(20, 40)
            out.append(src[i:i + step])
            i += step
        return '\n'.join(out), None
    if kind == 'partial':
        sents = re.findall(r'[^。！？]*[。！？]', src)
        m = rng.randint(2, 4)
        if len(sents) < m:
            sents = clauses_of(src)
        start = rng.randrange(max(1, len(sents) - m + 1))
        piece = ''.join(sents[start:start + m])
        return background(rng, words, 2) + piece + background(rng, words, 2), piece
    raise ValueError(kind)


def family_size(rng):
    """A long tail: most families 2-5 documents, some dozens, a few hundreds."""
    r = rng.random()
    if r < 0.70:
        return rng.randint(2, 5)
    if r < 0.95:
        return rng.randint(6, 50)
    return rng.randint(51, 300)


def take_free(free, used_docs):
    """A free paragraph of a document the family does not hold yet (one
    member per document; skipped ones go back to the front), or (None, None)."""
    for _ in range(len(free)):
        d, p = free.pop()
        if d not in used_docs:
            used_docs.add(d)
            return d, p
        free.insert(0, (d, p))
    return None, None


def plant_families(rng, docs, involved, words, total):
    """Family copies into paragraphs no planted pair uses; returns the
    members [(family, role, doc, idx)] (role: src or copy)."""
    n_docs, per_doc = len(docs), len(docs[0])
    free = [(d, p) for d in range(n_docs) for p in range(per_doc) if (d, p) not in involved]
    rng.shuffle(free)
    budget = min(total // 10, len(free) // 2)
    members = []
    fam = 0
    # A fifth of the copies from a pool of 100 template paragraphs (fewer
    # in a small set: each is used twice at least).
    template_copies = budget // 5
    pool = [background(rng, words, 4) for _ in range(max(1, min(100, template_copies // 2)))]
    per_template = max(2, template_copies // len(pool))
    for t, text in enumerate(pool):
        used_docs = set()
        for _ in range(per_template):
            d, p = take_free(free, used_docs)
            if d is None:
                break
            docs[d][p] = text if rng.random() < 0.7 else edit(rng, text, 0.02)
            members.append((fam, 'copy', d, p))
        fam += 1
    copies = budget - per_template * len(pool)
    while copies > 0 and len(free) > 2:
        size = min(family_size(rng), copies + 1, len(free))
        sd, si = free.pop()
        src = docs[sd][si]
        members.append((fam, 'src', sd, si))
        used_docs = {sd}
        for _ in range(size - 1):
            d, p = take_free(free, used_docs)
            if d is None:
                break
            docs[d][p] = src if rng.random() < 0.7 else edit(rng, src, 0.02)
            members.append((fam, 'copy', d, p))
            copies -= 1
        fam += 1
    return members


def main():
    args = [a for a in sys.argv[1:] if a != '--families']
    families = '--families' in sys.argv[1:]
    out_dir, total = args[0], int(args[1])
    seed = int(args[2]) if len(args) > 2 else 1
    rng = random.Random(seed)
    words = load_words()
    corpus_paras = load_corpus_paragraphs()
    os.makedirs(os.path.join(out_dir, 'docs'), exist_ok=True)
    per_doc = 10
    n_docs = max(2, total // per_doc)
    # Paragraphs first: sources are corpus or background paragraphs, some
    # with a mask so that mask swaps have something to swap.
    docs = [[] for _ in range(n_docs)]
    planted = []  # (kind, src_doc, src_idx, dst_doc, dst_idx, piece)
    used_corpus = 0
    for d in range(n_docs):
        for p in range(per_doc):
            if used_corpus < len(corpus_paras) and rng.random() < 0.02:
                text = corpus_paras[used_corpus]
                used_corpus += 1
            else:
                text = background(rng, words)
                if rng.random() < 0.1:
                    text = rng.choice(['**局', 'xxx局', '某局']) + text
            docs[d].append(text)
    n_planted = total // 10
    involved = set()  # each paragraph in one planted pair at most
    for i in range(n_planted):
        kind = KINDS[i % len(KINDS)]
        while True:
            sd = rng.randrange(n_docs)
            dd = rng.randrange(n_docs - 1)
            dd = dd + 1 if dd >= sd else dd
            si = rng.randrange(per_doc)
            di = rng.randrange(per_doc)
            if (sd, si) not in involved and (dd, di) not in involved:
                break
        involved.add((sd, si))
        involved.add((dd, di))
        src = docs[sd][si]
        if kind == 'mask' and not re.search(r'\*\*局|xxx局|某局', src):
            src = '**局' + src
            docs[sd][si] = src
        copy, piece = mutate(rng, kind, src, words)
        docs[dd][di] = copy
        planted.append([kind, sd, si, dd, di, piece])
    fam_members = plant_families(rng, docs, involved, words, total) if families else []
    final = {}
    for d in range(n_docs):
        for p in range(per_doc):
            final[(d, p)] = docs[d][p]
    # Write the files, remembering byte ranges.
    ranges = {}
    for d in range(n_docs):
        path = os.path.join(out_dir, 'docs', 'd%06d.txt' % d)
        # A title of its own (a numbered template title would share
        # "号单位意识形态工作的报告" with every tenth document's title).
        title = ''.join(rng.choice(words) for _ in range(3)) + '工作报告\n'
        parts = [title.encode('utf-8')]
        off = len(parts[0])
        for p in range(per_doc):
            b = docs[d][p].encode('utf-8')
            ranges[(d, p)] = (off, off + len(b))
            parts.append(b + b'\n')
            off += len(b) + 1
        with open(path, 'wb') as f:
            f.write(b''.join(parts))
    if families:
        with open(os.path.join(out_dir, 'families.tsv'), 'w', encoding='utf-8') as f:
            f.write('family\trole\tpath\tstart\tend\n')
            for fam, role, d, p in fam_members:
                f.write('%d\t%s\tdocs/d%06d.txt\t%d\t%d\n' % ((fam, role, d) + ranges[(d, p)]))
        with open(os.path.join(out_dir, 'dups.tsv'), 'w', encoding='utf-8') as f:
            f.write('path\tduplicate\n')
            for d in range(0, n_docs, 200):
                src = os.path.join(out_dir, 'docs', 'd%06d.txt' % d)
                with open(src, 'rb') as g:
                    data = g.read()
                with open(os.path.join(out_dir, 'docs', 'd%06d_dup.txt' % d), 'wb') as g:
                    g.write(data)
                f.write('docs/d%06d.txt\tdocs/d%06d_dup.txt\n' % (d, d))
    with open(os.path.join(out_dir, 'truth.tsv'), 'w', encoding='utf-8') as f:
        f.write('kind\tsrc_path\tsrc_start\tsrc_end\tdst_path\tdst_start\tdst_end\tjaccard\tcontainment\tshared\n')
        for kind, sd, si, dd, di, piece in planted:
            src, dst = final[(sd, si)], final[(dd, di)]
            j, c = jc(src, dst)
            s0, s1 = ranges[(sd, si)]
            d0, d1 = ranges[(dd, di)]
            shared = 0
            if piece is not None:
                if piece not in src or piece not in dst:
                    continue
                pb = piece.encode('utf-8')
                sb, db = src.encode('utf-8'), dst.encode('utf-8')
                s0, s1 = s0 + sb.index(pb), s0 + sb.index(pb) + len(pb)
                d0, d1 = d0 + db.index(pb), d0 + db.index(pb) + len(pb)
                shared = len(units(piece))
            f.write('%s\tdocs/d%06d.txt\t%d\t%d\tdocs/d%06d.txt\t%d\t%d\t%.4f\t%.4f\t%d\n' % (
                kind, sd, s0, s1, dd, d0, d1, j, c, shared))


if __name__ == '__main__':
    main()
