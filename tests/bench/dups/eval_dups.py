#!/usr/bin/python3
"""Score gw-dups on a planted-duplicate set (run by hand, see README.md).

    eval_dups.py OUT_DIR RESULT.jsonl

RESULT.jsonl is `gw-dups --format jsonl --no-text docs` run inside OUT_DIR.
Prints recall of the paragraph clusters and of the copy passages by true
Jaccard bucket and by edit kind, and their precision.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_dups import jc  # noqa: E402


def overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def main():
    out_dir, result = sys.argv[1], sys.argv[2]
    truth = []
    with open(os.path.join(out_dir, 'truth.tsv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            k, sp, s0, s1, dp, d0, d1, j, c, shared = line.rstrip('\n').split('\t')
            truth.append((k, sp, int(s0), int(s1), dp, int(d0), int(d1), float(j),
                          float(c), int(shared)))
    members = collections.defaultdict(list)  # path -> [(start, end, cluster)]
    clusters = []
    passages = collections.defaultdict(list)  # (a, b) -> [(a0, a1, b0, b1)]
    params = None
    with open(result, encoding='utf-8') as f:
        import json
        for line in f:
            r = json.loads(line)
            if r['record'] == 'parameters':
                params = r
            elif r['record'] == 'cluster':
                cid = len(clusters)
                clusters.append(r['members'])
                for m in r['members']:
                    members[m['path']].append((m['start'], m['end'], cid))
            elif r['record'] == 'pair':
                for p in r['passages']:
                    if p['kind'] == 'copy':
                        passages[(r['a'], r['b'])].append(
                            (p['a']['start'], p['a']['end'], p['b']['start'], p['b']['end']))

    def clusters_in(path, s0, s1):
        return {c for (a, b, c) in members.get(path, []) if overlap(a, b, s0, s1) > 0}

    def passage_found(t, need):
        k, sp, s0, s1, dp, d0, d1 = t[:7]
        if sp < dp:
            key, x0, x1, y0, y1 = (sp, dp), s0, s1, d0, d1
        else:
            key, x0, x1, y0, y1 = (dp, sp), d0, d1, s0, s1
        for a0, a1, b0, b1 in passages.get(key, []):
            if overlap(a0, a1, x0, x1) >= need * (x1 - x0) and overlap(b0, b1, y0, y1) >= need * (y1 - y0):
                return True
        return False

    def bucket(j):
        return 'J>=0.8' if j >= 0.8 else '0.5<=J<0.8' if j >= 0.5 else 'J<0.5'

    # True Jaccard and containment with the k of the run, from the files.
    texts = {}

    def text(path, s, e):
        if path not in texts:
            with open(os.path.join(out_dir, path), 'rb') as f:
                texts[path] = f.read()
        return texts[path][s:e].decode('utf-8')

    k_run = params['shingle_k']
    truth = [t[:7] + jc(text(t[1], t[2], t[3]), text(t[4], t[5], t[6]), k_run) + t[9:]
             if t[0] != 'partial' else t for t in truth]
    misses = []
    para = collections.defaultdict(lambda: [0, 0])
    para_kind = collections.defaultdict(lambda: [0, 0])
    pas_kind = collections.defaultdict(lambda: [0, 0])
    for t in truth:
        k, sp, s0, s1, dp, d0, d1, j, c, shared = t
        if k != 'partial':
            hit = bool(clusters_in(sp, s0, s1) & clusters_in(dp, d0, d1))
            para[bucket(j)][0] += hit
            para[bucket(j)][1] += 1
            para_kind[k][0] += hit
            para_kind[k][1] += 1
            if not hit and j >= 0.5:
                misses.append(t)
            hit_p = passage_found(t, 0.0)
        else:
            hit_p = passage_found(t, 0.9)
        pas_kind[k][0] += hit_p
        pas_kind[k][1] += 1
    # Precision of clusters: a member is right when its true Jaccard or
    # containment with another member of its cluster reaches the thresholds.
    right = total = 0
    mj, mc = params['min_jaccard'], params['min_containment']
    for ms in clusters:
        ts = [text(m['path'], m['start'], m['end']) for m in ms]
        for i in range(len(ms)):
            total += 1
            for j in range(len(ms)):
                if i != j:
                    jj, cc = jc(ts[i], ts[j], k_run)
                    if jj >= mj or cc >= mc:
                        right += 1
                        break
    # Precision of passages: a copy passage is planted when it overlaps a
    # planted pair's ranges on both sides.
    planted_keys = collections.defaultdict(list)
    for t in truth:
        k, sp, s0, s1, dp, d0, d1 = t[:7]
        if sp < dp:
            planted_keys[(sp, dp)].append((s0, s1, d0, d1))
        else:
            planted_keys[(dp, sp)].append((d0, d1, s0, s1))
    # The seed reports share passages of their own (and the generic rule
    # sees few of them in a large set): a passage whose text is in corpus/
    # is true shared text, not a planted one.
    from gen_dups import ROOT, units
    seed_text = ''
    for name in sorted(os.listdir(os.path.join(ROOT, 'corpus'))):
        if name.endswith('.txt'):
            with open(os.path.join(ROOT, 'corpus', name), encoding='utf-8') as f:
                seed_text += ''.join(units(f.read())) + '|'
    # A set made with --families: passages between members of one planted
    # family, and those of an exact duplicate document (as the document it
    # copies), are planted too.
    twins, fam_at = {}, collections.defaultdict(list)
    if os.path.exists(os.path.join(out_dir, 'families.tsv')):
        with open(os.path.join(out_dir, 'dups.tsv'), encoding='utf-8') as f:
            next(f)
            for line in f:
                a, b = line.rstrip('\n').split('\t')
                twins[b] = a
        with open(os.path.join(out_dir, 'families.tsv'), encoding='utf-8') as f:
            next(f)
            for line in f:
                fam, role, path, s0, s1 = line.rstrip('\n').split('\t')
                fam_at[path].append((int(s0), int(s1), int(fam)))

    def planted_passage(a, b, a0, a1, b0, b1):
        a, b = twins.get(a, a), twins.get(b, b)
        if a == b:
            return True
        if a > b:
            a, b, a0, a1, b0, b1 = b, a, b0, b1, a0, a1
        if any(overlap(a0, a1, x0, x1) and overlap(b0, b1, y0, y1)
               for x0, x1, y0, y1 in planted_keys.get((a, b), [])):
            return True
        fa = {f for x0, x1, f in fam_at.get(a, []) if overlap(a0, a1, x0, x1)}
        return any(overlap(b0, b1, y0, y1) and f in fa for y0, y1, f in fam_at.get(b, []))

    p_right = p_total = p_seed = 0
    for key, ps in passages.items():
        for a0, a1, b0, b1 in ps:
            p_total += 1
            if planted_passage(key[0], key[1], a0, a1, b0, b1):
                p_right += 1
            elif ''.join(units(text(key[0], a0, a1))) in seed_text:
                p_seed += 1

    def rate(h, n):
        return '%d/%d = %.4f' % (h, n, h / n if n else 1.0)

    print('paragraph clusters, recall by true Jaccard (k=%d):' % k_run)
    for b in ('J>=0.8', '0.5<=J<0.8', 'J<0.5'):
        print('  %-11s %s' % (b, rate(*para[b])))
    print('paragraph clusters, recall by edit kind:')
    for k in sorted(para_kind):
        print('  %-11s %s' % (k, rate(*para_kind[k])))
    print('paragraph clusters, precision (members): %s' % rate(right, total))
    for t in misses[:10]:
        print('  missed: %s %s %d %s %d J=%.3f C=%.3f' % (t[0], t[1], t[2], t[4], t[5], t[7], t[8]))
    print('copy passages, recall by edit kind (partial: 90%% of the copied sentences covered):')
    for k in sorted(pas_kind):
        print('  %-11s %s' % (k, rate(*pas_kind[k])))
    print('copy passages on a planted pair (or family): %s' % rate(p_right, p_total))
    print('copy passages of text the seed reports share: %d' % p_seed)
    print('copy passages, precision (planted or seed text): %s' % rate(p_right + p_seed, p_total))


if __name__ == '__main__':
    main()
