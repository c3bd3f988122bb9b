#!/usr/bin/env bash
# Side-by-side speed comparison of l2l4j and PyTorch on the same truncated-BPTT unroll (paper LSTM,
# log-sign preprocessing, T = 20, second derivatives dropped) and on a whole MNIST meta-training
# epoch; prints one line per measurement and a table. Run it on a quiet machine.
# PyTorch comes from Debian (python3-torch, installed here when missing and root).
# Usage: bench/compare.sh [threads list, default "1 2"]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
threads_list="${1:-1 2}"
py=/usr/bin/python3
if ! "$py" -c "import torch" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq python3-torch >/dev/null
  else
    echo "PyTorch missing: run 'apt-get install python3-torch' as root" >&2
    exit 1
  fi
fi
mvn -B -q -DskipTests package -pl bench -am
java_cmd=(java --add-modules jdk.incubator.vector -Xmx6g -cp bench/target/benchmarks.jar org.l2l4j.bench.CompareBench)
results=$(mktemp)
for t in $threads_list; do
  for n in 1280 15910 100000; do
    "${java_cmd[@]}" unroll "$t" "$n" 2>/dev/null | tee -a "$results"
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t "$py" bench/pytorch_unroll.py "$t" unroll "$n" | tee -a "$results"
  done
  "${java_cmd[@]}" mnist-epoch "$t" 2>/dev/null | tee -a "$results"
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t "$py" bench/pytorch_unroll.py "$t" mnist-epoch 15910 3 | tee -a "$results"
done
echo
echo "| what | threads | n | l2l4j s | PyTorch s | l2l4j coord-steps/s | PyTorch coord-steps/s | speed-up | l2l4j peak heap MB | PyTorch peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
awk '
  { key=""; for (i=2;i<=NF;i++) { split($i, kv, "="); v[kv[1]]=kv[2] }
    mode=$2; if ($1=="l2l4j") { mode=$2 } }
  $1=="l2l4j" { k=$2" "v["threads"]" "v["n"]; js[k]=(v["seconds"]!=""?v["seconds"]:v["seconds_per_epoch"]); jr[k]=v["coord_steps_per_s"]; jm[k]=v["peak_heap_mb"]; order[++cnt]=k }
  $1=="pytorch" { k=$2" "v["threads"]" "v["n"]; ps[k]=v["seconds"]; pr[k]=v["coord_steps_per_s"]; pm[k]=v["peak_rss_mb"] }
  { delete v }
  END { for (i=1;i<=cnt;i++) { k=order[i]; split(k, p, " ");
          printf "| %s | %s | %s | %s | %s | %s | %s | %.1fx | %s | %s |\n", p[1], p[2], p[3], js[k], ps[k], jr[k], pr[k], (pr[k]>0? jr[k]/pr[k] : 0), jm[k], pm[k] } }
' "$results"
rm -f "$results"
