#!/usr/bin/python3
"""Large OFD and HTML files for measuring extraction, written by the test
fixtures' own writers (tests/data/formats/make_fixtures.py) from corpus/
paragraphs repeated (tests/bench/formats/README.md).

  make_large.py OUT_DIR PARAS   OUT_DIR/large.ofd and OUT_DIR/large.html of
                                PARAS paragraphs each
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "data", "formats"))
import make_fixtures  # noqa: E402


def corpus_lines(count):
    folder = os.path.join(make_fixtures.ROOT, "corpus")
    pool = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    try:  # the web page is saved as GB2312, as such pages are
                        line.encode("gb2312")
                    except UnicodeEncodeError:
                        continue
                    if line:
                        pool.append(line)
    return [pool[i % len(pool)] for i in range(count)]


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    lines = corpus_lines(count)
    make_fixtures.write_ofd(os.path.join(out, "large.ofd"), lines)
    make_fixtures.write_html(os.path.join(out, "large.html"), lines)


if __name__ == "__main__":
    main()
