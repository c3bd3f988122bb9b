#!/usr/bin/env bash
# Per meta-update overhead of meta-training on Spark against the local run: the same MNIST
# meta-training (--meta-batch B, default 4) once locally with --threads 2 and once with
# --spark local[2] (2 tasks of 1 thread), and prints the seconds per meta-update of each and the
# bytes of meta-gradient messages per exchange (the Spark run counts them). Both runs give the same
# weights (checked at the end). Short by default (EPOCHS=3); for the real numbers use EPOCHS=50.
# Usage: bench/spark-overhead.sh [OUT] ; environment: EPOCHS, B, MASTER (default local[2]),
# PROBLEM (default mnist; quadratic shows the exchange's own cost, its compute being tiny)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-l2l4j-out/spark-overhead}"
epochs="${EPOCHS:-3}"
b="${B:-4}"
master="${MASTER:-local[2]}"
rm -rf "$out/local" "$out/spark"
mkdir -p "$out"
problem="${PROBLEM:-mnist}"
args=(train --problem "$problem" --epochs "$epochs" --meta-batch "$b" --validate-every 0
  --validation-problems 1 --quiet)
t0=$(date +%s.%N)
./l2l4j "${args[@]}" --threads 2 --out "$out/local" > "$out/local.txt"
t1=$(date +%s.%N)
./l2l4j "${args[@]}" --spark "$master" --out "$out/spark" > "$out/spark.txt" 2> "$out/spark.err"
t2=$(date +%s.%N)
updates=$((epochs * 5)) # 100 steps in unrolls of 20
python3 - "$out" "$t0" "$t1" "$t2" "$updates" <<'PY'
import json, re, sys
out, t0, t1, t2, updates = sys.argv[1], *map(float, sys.argv[2:5]), int(sys.argv[5])
def seconds(f):
    return float(re.search(r"^trained .*, ([0-9.]+) s$", open(f).read(), re.M).group(1))
local = seconds(out + "/local.txt")
spark = seconds(out + "/spark.txt")
err = open(out + "/spark.err").read()
m = re.search(r"(\d+) tasks, (\d+) meta-updates in ([0-9.]+) s \(([0-9.]+) ms each\), (\d+) bytes", err)
same = json.load(open(out + "/local/optimizer.json"))["tensors"] == \
    json.load(open(out + "/spark/optimizer.json"))["tensors"]
print(f"local  --threads 2: {local:.1f} s training, {1e3 * local / updates:.0f} ms per meta-update"
      f" ({updates} meta-updates; process {t1 - t0:.1f} s)")
print(f"spark  {m.group(1)} tasks:  {float(m.group(3)):.1f} s in the stage, {m.group(4)} ms per"
      f" meta-update; training {spark:.1f} s incl. session start; process {t2 - t1:.1f} s")
print(f"meta-gradient messages: {m.group(5)} bytes per exchange (all tasks)")
print("same weights:", same)
PY
