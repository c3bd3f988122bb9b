#!/usr/bin/env bash
# What a meta-batch buys on MNIST: meta-trains the mnist optimizer with --meta-batch B = 1, 4, 16
# for the same number of optimizees (default 1,600, i.e. 160,000 optimizee steps: 1,600 epochs at
# B = 1, 100 at B = 16), validating after every 64 optimizees on 5 nets, and writes
# validation loss against wall time and against optimizee steps to OUT (default
# l2l4j-out/meta-batch.csv; columns batch,epoch,meta_updates,optimizees,optimizee_steps,wall_s,
# train_s,valid_loss). Time: about 0.41 s per optimizee at B = 1 on the 2-core AMD machine of the
# README, so ~11 min per B plus validation, ~35-40 min for the three (B > 1 runs the same number
# of optimizee steps in fewer, larger meta-updates, spread over the threads).
# Usage: bench/meta-batch.sh [OUT] [MetaBatchCurve options, e.g. --optimizees 400 --threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-l2l4j-out/meta-batch.csv}"
shift || true
mkdir -p "$(dirname "$out")"
[ -d data-cache ] && export L2L4J_DATA="${L2L4J_DATA:-$PWD/data-cache}"
mvn -B -q -DskipTests package -pl bench -am
exec "${JAVA:-java}" --add-modules jdk.incubator.vector -Xmx4g \
  -cp bench/target/benchmarks.jar org.l2l4j.bench.MetaBatchCurve --out "$out" "$@"
