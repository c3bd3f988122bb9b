#!/usr/bin/env bash
# Quality bar of the MNIST issue: runs `l2l4j mnist` (meta-training from scratch unless --resume
# or --trained is passed) and checks, from each case's summary.json, that the learned optimizer's
# mean loss is below the best tuned baseline's at step 100 (case a) and at step 200 (case b), and
# below tuned Adam's at step 100 for 40 units (c) and two layers (d); ReLU (e) is printed as it
# comes out (the paper reports failure). Prints the wall time.
#   bench/mnist-quality.sh [OUT] [more mnist flags, e.g. --dataset fashion-mnist]
# Needs the data (scripts/setup-data.sh) and python3 (for reading the JSON).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/l2l4j-out/mnist-quality}"
SECONDS=0
# from scratch unless --resume: --overwrite deletes an earlier run's results in OUT
fresh=(--overwrite)
for a in "${@:2}"; do
  if [ "$a" = "--resume" ]; then fresh=(); fi
done
"$root/l2l4j" mnist --out "$out" ${fresh[@]+"${fresh[@]}"} --quiet "${@:2}" | tee "$out.log"
echo "wall time of the whole run: ${SECONDS} s"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
ok = True
def load(case):
    with open(os.path.join(out, "case-" + case, "summary.json")) as f:
        j = json.load(f)
    n = j["steps"]
    return n, {o["name"]: o for o in j["optimizers"]}
for case, rule in (("a", "best"), ("b", "best"), ("c", "adam"), ("d", "adam"), ("e", "report")):
    if not os.path.exists(os.path.join(out, "case-" + case, "summary.json")):
        print(f"case {case}: not run")
        continue
    n, opts = load(case)
    lstm = opts["lstm"]["mean"][n]
    # a diverged baseline (or one not evaluated: diverged at every grid point) is never the bar
    baselines = {k: v["mean"][n] for k, v in opts.items()
                 if not v["learned"] and not v.get("diverged")}
    if (rule == "adam" and "adam" not in baselines) or not baselines:
        print(f"case {case}: step {n}: lstm {lstm:.4g}; no converged baseline to compare with"
              " (see summary.json: diverged / not_evaluated)")
        continue
    if rule == "adam":
        name, ref = "adam", baselines["adam"]
    else:
        name = min(baselines, key=baselines.get)
        ref = baselines[name]
    verdict = "below" if lstm < ref else "NOT below"
    line = f"case {case}: step {n}: lstm {lstm:.4g} {verdict} {name} {ref:.4g}"
    if rule == "report":
        print(line + " (reported as it comes out)")
    else:
        print(("PASS " if lstm < ref else "FAIL ") + line)
        ok = ok and lstm < ref
sys.exit(0 if ok else 1)
PY
