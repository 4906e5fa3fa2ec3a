#!/usr/bin/python3
"""Score gw-dups's template families on a set made with gen_dups.py
--families (run by hand, see README.md).

    eval_families.py OUT_DIR RESULT.jsonl

RESULT.jsonl is `gw-dups --format jsonl --no-text docs` run inside OUT_DIR.
A planted member is in a reported family when the members of that family in
the same file cover half of its bytes or more (an edited copy can be cut in
pieces).  For each planted family of
three documents or more: the reported family holding most of its members;
the family is found as one when that family holds at least 99 % of them.
Families of two are pairs: found when a copy passage of the pair covers
both.  Purity: of the members of each reported family holding planted
members, the share that overlap the planted family it holds most of (an
exact duplicate document counts as the document it copies).
"""
import collections
import json
import os
import sys


def overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def main():
    out_dir, result = sys.argv[1], sys.argv[2]
    planted = collections.defaultdict(list)  # family -> [(path, start, end)]
    with open(os.path.join(out_dir, 'families.tsv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            fam, role, path, s0, s1 = line.rstrip('\n').split('\t')
            planted[int(fam)].append((path, int(s0), int(s1)))
    twins = {}
    with open(os.path.join(out_dir, 'dups.tsv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            a, b = line.rstrip('\n').split('\t')
            twins[b] = a
    by_path = collections.defaultdict(list)  # path -> [(start, end, family id)]
    families = []
    passages = collections.defaultdict(list)
    with open(result, encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            if r['record'] == 'family':
                fid = len(families)
                families.append(r)
                for m in r['members']:
                    by_path[m['path']].append((m['start'], m['end'], fid))
            elif r['record'] == 'pair':
                for p in r['passages']:
                    if p['kind'] == 'copy':
                        passages[(r['a'], r['b'])].append(
                            (p['a']['start'], p['a']['end'], p['b']['start'], p['b']['end']))

    def family_of(path, s0, s1):
        covered = collections.Counter()
        for a, b, fid in by_path.get(path, []):
            covered[fid] += overlap(a, b, s0, s1)
        best = max(covered, key=lambda k: (covered[k], -k), default=None)
        return best if best is not None and 2 * covered[best] >= s1 - s0 else None

    def pair_found(x, y):
        (xp, x0, x1), (yp, y0, y1) = sorted([x, y])
        for a0, a1, b0, b1 in passages.get((xp, yp), []):
            if overlap(a0, a1, x0, x1) > 0 and overlap(b0, b1, y0, y1) > 0:
                return True
        return False

    sizes = collections.Counter()
    found = collections.Counter()
    members_total = members_best = 0
    member_family = {}  # (path, start, end) -> planted family
    for fam, ms in planted.items():
        for m in ms:
            member_family[m] = fam
        bucket = '2' if len(ms) == 2 else '3-5' if len(ms) <= 5 else '6-50' if len(ms) <= 50 else '51+'
        sizes[bucket] += 1
        if len(ms) == 2:
            found[bucket] += pair_found(ms[0], ms[1])
            continue
        where = collections.Counter(family_of(*m) for m in ms)
        where.pop(None, None)
        best = max(where.values()) if where else 0
        members_total += len(ms)
        members_best += best
        found[bucket] += best >= 0.99 * len(ms)
    print('planted families found as one (pairs: a copy passage), by size:')
    for b in ('2', '3-5', '6-50', '51+'):
        if sizes[b]:
            print('  %-5s %d/%d = %.4f' % (b, found[b], sizes[b], found[b] / sizes[b]))
    if members_total:
        print('members in the family holding most of theirs: %d/%d = %.4f' % (
            members_best, members_total, members_best / members_total))
    planted_index = collections.defaultdict(list)
    for (p, s0, s1) in member_family:
        planted_index[p].append((p, s0, s1))
    pure = total = other = 0
    for fid, r in enumerate(families):
        counts = collections.Counter()
        for m in r['members']:
            path = twins.get(m['path'], m['path'])
            hit = None
            for (p, s0, s1) in planted_index.get(path, []):
                if overlap(m['start'], m['end'], s0, s1) > 0:
                    hit = member_family[(p, s0, s1)]
                    break
            counts[hit] += 1
        top = max((c for k, c in counts.items() if k is not None), default=0)
        if top == 0:
            other += 1
            continue
        pure += top
        total += len(r['members'])
    print('reported families: %d, %d of them holding no planted family (planted pairs with an'
          ' exact duplicate document, text the seed reports share)' % (len(families), other))
    print('purity (members overlapping their main planted family): %d/%d = %.4f' % (
        pure, total, pure / total if total else 1.0))


if __name__ == '__main__':
    main()
