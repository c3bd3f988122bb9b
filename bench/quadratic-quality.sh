#!/usr/bin/env bash
# Quality bar of the core issue: meta-train from scratch and evaluate exactly as the demo does,
# then check that the learned optimizer has the lowest mean loss at step 100 on the 100 held-out
# quadratics and say at how many of the 100 steps it leads. Prints the timings.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/l2l4j-out/quality}"
SECONDS=0
# from scratch: --overwrite deletes an earlier run's results in OUT (demo refuses them otherwise)
"$root/l2l4j" demo --out "$out" --overwrite --quiet "${@:2}" | tee "$out.log"
echo "wall time of the whole demo: ${SECONDS} s"
if grep -q "^lowest mean loss at step 100: lstm " "$out.log"; then
  echo "PASS: the learned optimizer has the lowest mean loss at step 100"
else
  echo "FAIL: the learned optimizer does not have the lowest mean loss at step 100"
  exit 1
fi
