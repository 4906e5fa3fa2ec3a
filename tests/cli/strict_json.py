# strict_json.py — a strict JSON check for the CLI tests (python3's json,
# stricter than cJSON): the bytes must be UTF-8, every value well formed
# (no NaN or Infinity, no raw control characters in strings).
# usage: python3 strict_json.py json|jsonl FILE [KEY_PATH EXPECTED_HEX]
# With KEY_PATH (e.g. files.0.path), the name there must be EXPECTED_HEX:
# its KEY_bytes companion when the name is not UTF-8, else the string's
# UTF-8 bytes.
import json
import sys


def reject(constant):
    raise ValueError("not JSON: " + constant)


mode, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    text = f.read().decode("utf-8")  # strict: invalid UTF-8 raises
lines = text.splitlines() if mode == "jsonl" else [text]
values = [json.loads(line, parse_constant=reject) for line in lines if line or mode != "jsonl"]
if len(sys.argv) > 3:
    keys = sys.argv[3].split(".")
    parent = values[0]
    for key in keys[:-1]:
        parent = parent[int(key)] if isinstance(parent, list) else parent[key]
    name = keys[-1]
    got = parent[name + "_bytes"] if name + "_bytes" in parent else parent[name].encode().hex()
    if got != sys.argv[4]:
        sys.exit("%s is %s, not %s" % (sys.argv[3], got, sys.argv[4]))
