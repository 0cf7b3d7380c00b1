#!/bin/sh
# Opt-in check of the PyTorch reference data (not part of the Maven build): runs generate.py twice into
# temporary folders, requires the two runs to be byte-identical (the generator is deterministic), then
# compares the result with what is committed here (byte-identical, or equal up to float rounding where
# this machine's CPU rounds differently; generate.py compare prints which files).
#
#   test-suite/reference/check.sh            # about three minutes and 1.5 GB of memory
#
# Skips (exit 0) with a message when PyTorch is not installed. PYTHON overrides the interpreter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}

if ! "$python" -c 'import torch, torchvision' >/dev/null 2>&1; then
  echo "check.sh: skipped: $python cannot import torch and torchvision" \
    "(apt-get install -y python3-torch python3-torchvision)"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for run in a b; do
  echo "check.sh: generating into $tmp/$run"
  "$python" "$here/generate.py" --out "$tmp/$run" all >"$tmp/$run.log" 2>&1 \
    || { cat "$tmp/$run.log"; echo "check.sh: generate.py failed"; exit 1; }
done

status=0
echo "check.sh: deterministic (two runs byte-identical)?"
"$python" "$here/generate.py" compare --exact "$tmp/a" "$tmp/b" || status=1
echo "check.sh: matches what is committed?"
"$python" "$here/generate.py" compare "$tmp/a" "$here" || status=1
if [ "$status" -eq 0 ]; then echo "check.sh: OK"; else echo "check.sh: FAILED"; fi
exit "$status"
