#!/usr/bin/env bash
# Side-by-side speed of l2l4j and PyTorch on the same truncated-BPTT unroll (the paper's LSTM,
# log-sign preprocessing, T = 20, second derivatives dropped) and on a whole MNIST meta-training
# epoch. Run it on a quiet machine (nothing else running).
#
#   bench/compare.sh [--threads "1 2"] [--sizes "1280 15910 100000"] [--impls "cat split lstmcell script fm"] [--no-mnist]
#
# l2l4j: JMH (bench/target/benchmarks.jar: UnrollBenchmark, MnistEpochBenchmark; 2 forks, warm-up
# iterations). PyTorch: Debian's python3-torch on OpenBLAS (libopenblas0-pthread), both installed
# here when missing (as root). PyTorch is given its best chance, and the script prints what it got:
#  - torch must reach >= 40 GFLOP/s on a 1024x1024 sgemm in its own process, one thread, or no
#    table is printed (a torch on the reference BLAS runs at ~6 GFLOP/s here);
#  - when the environment sets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, the sgemm is timed with and
#    without them (in the benchmark commands only) and the faster setting is kept;
#  - every LSTM implementation of bench/pytorch_unroll.py (--impls) is timed, and the fastest counts;
#  - at 2 threads torch runs both with its defaults and with OMP_NUM_THREADS=2
#    OPENBLAS_NUM_THREADS=1; the faster counts. At 1 thread: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1.
# Every measurement is printed as a line, then the table (markdown) with the configuration.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
threads_list="1 2"
sizes="1280 15910 100000"
impls="cat split lstmcell script fm"
mnist=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads_list="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --impls) impls="$2"; shift 2 ;;
    --no-mnist) mnist=0; shift ;;
    *) echo "compare.sh: unknown argument '$1' (see the comment at the top of the script)" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3

# --- PyTorch on OpenBLAS --------------------------------------------------------------------
missing=()
"$py" -c "import torch" 2>/dev/null || missing+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]} (Debian) ..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "compare.sh: missing ${missing[*]}: run 'apt-get install ${missing[*]}' as root" >&2
    exit 1
  fi
fi

if [ "$mnist" = 1 ] && ! scripts/setup-data.sh >/dev/null 2>&1; then
  echo "compare.sh: the MNIST digits are missing (scripts/setup-data.sh failed); run with --no-mnist or fix that" >&2
  exit 1
fi
MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
jar=bench/target/benchmarks.jar
java_cmd=(java --add-modules jdk.incubator.vector -jar "$jar")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines="$work/lines.txt"

# The OpenBLAS settings to try: as the environment has them, and without, if it sets any.
blas_envs=("keep")
if [ -n "${OPENBLAS_CORETYPE:-}" ] || [ -n "${OPENBLAS_L2_SIZE:-}" ]; then
  blas_envs+=("unset")
fi
torch_env() { # $1 = keep|unset; the rest: VAR=value ...
  local mode="$1"; shift
  if [ "$mode" = unset ]; then
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"
  else
    env "$@"
  fi
}
best_env="" best_gflops=0
for be in "${blas_envs[@]}"; do
  line=$(torch_env "$be" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 "$py" bench/pytorch_unroll.py 1 sgemm 1024 20)
  echo "$line blas_env=$be" | tee -a "$lines"
  g=$(sed -n 's/.*gflops=\([0-9.]*\).*/\1/p' <<<"$line")
  if awk -v a="$g" -v b="$best_gflops" 'BEGIN { exit !(a > b) }'; then
    best_gflops=$g
    best_env=$be
  fi
done
if ! awk -v g="$best_gflops" 'BEGIN { exit !(g >= 40) }'; then
  echo "compare.sh: torch's sgemm runs at $best_gflops GFLOP/s on one thread (< 40): it is not on an optimized BLAS." >&2
  echo "  Install libopenblas0-pthread and check 'update-alternatives --display libblas.so.3-x86_64-linux-gnu'. No table." >&2
  exit 1
fi
echo "keeping OpenBLAS environment: $best_env (sgemm $best_gflops GFLOP/s on one thread)" | tee -a "$lines"
"$py" bench/pytorch_unroll.py 1 check 200 | tee -a "$lines"

# --- measurements -------------------------------------------------------------------------------
csv_list=()
for t in $threads_list; do
  n_csv=$(tr ' ' ',' <<<"$sizes")
  "${java_cmd[@]}" UnrollBenchmark -p kernel=vector -p "n=$n_csv" -p "threads=$t" \
      -f 2 -wi 4 -w 1 -i 5 -r 1 -rf csv -rff "$work/unroll-$t.csv" >"$work/jmh-unroll-$t.log" 2>&1 \
    || { cat "$work/jmh-unroll-$t.log" >&2; exit 1; }
  grep -E '^UnrollBenchmark' "$work/jmh-unroll-$t.log" | sed 's/^/l2l4j jmh: /' | tee -a "$lines"
  csv_list+=("$work/unroll-$t.csv")
  if [ "$mnist" = 1 ]; then
    "${java_cmd[@]}" MnistEpochBenchmark -p "threads=$t" -f 2 -wi 1 -i 3 -rf csv \
        -rff "$work/mnist-$t.csv" >"$work/jmh-mnist-$t.log" 2>&1 \
      || { cat "$work/jmh-mnist-$t.log" >&2; exit 1; }
    grep -E '^MnistEpochBenchmark' "$work/jmh-mnist-$t.log" | sed 's/^/l2l4j jmh: /' | tee -a "$lines"
    csv_list+=("$work/mnist-$t.csv")
  fi
  if [ "$t" = 1 ]; then
    configs=("1|OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1")
  else
    configs=("default|" "$t|OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1")
  fi
  for cfg in "${configs[@]}"; do
    targ="${cfg%%|*}"
    # shellcheck disable=SC2206
    vars=(${cfg#*|})
    for impl in $impls; do
      for n in $sizes; do
        reps=5
        [ "$n" -ge 50000 ] && reps=3
        line=$(torch_env "$best_env" "${vars[@]}" "$py" bench/pytorch_unroll.py "$targ" unroll "$n" "$reps" --impl "$impl")
        echo "$line threads_asked=$t config=${cfg#*|}" | tee -a "$lines"
      done
      if [ "$mnist" = 1 ]; then
        line=$(torch_env "$best_env" "${vars[@]}" "$py" bench/pytorch_unroll.py "$targ" mnist-epoch 15910 3 --impl "$impl")
        echo "$line threads_asked=$t config=${cfg#*|}" | tee -a "$lines"
      fi
    done
  done
done

# --- table ------------------------------------------------------------------------------------
echo
"$py" - "$lines" "${csv_list[@]}" <<'EOF'
import csv, sys
lines_file, csvs = sys.argv[1], sys.argv[2:]
jmh = {}  # (what, threads, n) -> (ms, err)
for path in csvs:
    with open(path) as f:
        for row in csv.DictReader(f):
            what = "MNIST epoch" if "MnistEpoch" in row["Benchmark"] else "unroll"
            n = int(row.get("Param: n") or 15910)
            jmh[(what, int(row["Param: threads"]), n)] = (float(row["Score"]), float(row["Score Error (99.9%)"]))
torch_best = {}  # (what, threads, n) -> (seconds, impl, config)
info = []
for line in open(lines_file):
    parts = line.split()
    if not parts or parts[0] != "pytorch":
        if line.startswith("keeping"):
            info.append(line.strip())
        continue
    kv = dict(p.split("=", 1) for p in parts[2:] if "=" in p and not p.startswith("env=["))
    if parts[1] == "sgemm":
        info.append(f"torch {kv['torch']}, BLAS {kv['blas']}, sgemm {kv['gflops']} GFLOP/s (1 thread, OpenBLAS env: {kv['blas_env']})")
        continue
    what = "MNIST epoch" if parts[1] == "mnist-epoch" else "unroll"
    key = (what, int(kv["threads_asked"]), int(kv["n"]))
    cfg = line.split("config=", 1)[1].strip() or "torch defaults"
    secs = float(kv["seconds"])
    if key not in torch_best or secs < torch_best[key][0]:
        torch_best[key] = (secs, kv["impl"], cfg)
print("| what | threads | n | l2l4j ms (JMH, ± 99.9% CI) | PyTorch ms (best) | PyTorch impl, settings | speed-up |")
print("|---|---:|---:|---:|---:|---|---:|")
for key in sorted(jmh, key=lambda k: (k[1], k[0] != "unroll", k[2])):
    ms, err = jmh[key]
    if key not in torch_best:
        continue
    secs, impl, cfg = torch_best[key]
    print(f"| {key[0]} | {key[1]} | {key[2]:,} | {ms:.1f} ± {err:.1f} | {secs * 1000:.1f} | {impl}; {cfg} | {secs * 1000 / ms:.2f}x |")
print()
for i in info:
    print(i)
EOF
echo "l2l4j: $(java -version 2>&1 | head -1), kernel vector; CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u +%Y-%m-%d)"
