# harness.sh — sourced by the CLI test scripts: a scratch folder, check and
# status_of, and the closing "N passed, N failed" line (finish).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() { # description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
  fi
}

# Run a command with stdout in $tmp/out and stderr in $tmp/err; print its
# exit status.
status_of() { "$@" > "$tmp/out" 2> "$tmp/err"; echo $?; }

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
