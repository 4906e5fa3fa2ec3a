# strict_json.py — a strict JSON check for the CLI tests (python3's json,
# stricter than cJSON): the bytes must be UTF-8, every value well formed
# (no NaN or Infinity, no raw control characters in strings).
# usage: python3 strict_json.py json|jsonl FILE [KEY_PATH EXPECTED_HEX]
# With KEY_PATH (e.g. files.0.path), the string there, taken back to bytes
# as \udcXX escapes promise (os.fsencode), must be EXPECTED_HEX.
import json
import os
import sys


def reject(constant):
    raise ValueError("not JSON: " + constant)


mode, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    text = f.read().decode("utf-8")  # strict: invalid UTF-8 raises
lines = text.splitlines() if mode == "jsonl" else [text]
values = [json.loads(line, parse_constant=reject) for line in lines if line or mode != "jsonl"]
if len(sys.argv) > 3:
    value = values[0]
    for key in sys.argv[3].split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    got = os.fsencode(value).hex()
    if got != sys.argv[4]:
        sys.exit("%s is %s, not %s" % (sys.argv[3], got, sys.argv[4]))
