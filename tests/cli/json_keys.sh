# json_keys.sh — sourced by test_gw_terms.sh and test_gw_gap.sh: the keys
# of a record in the tools' pretty JSON (one key a line, tab-indented), so
# that a test fails when a field vanishes or moves.

# The keys of the first object of the array "$2" in pretty JSON file $1
# (its own keys, not those of objects inside it), space-separated.
first_keys() {
  awk -v key="\"$2\":" '
    !on && index($0, key) && /\[\{$/ { on = 1; match($0, /^\t*/); depth = RLENGTH + 2; next }
    on && /^\t*\}/ { match($0, /^\t*/); if (RLENGTH == depth - 1) exit }
    on { match($0, /^\t*/); if (RLENGTH == depth && match($0, /"[a-z_]*":/)) printf "%s ", substr($0, RSTART + 1, RLENGTH - 3) }
  ' "$1"
}
