#!/usr/bin/env bash
# Meta-trains the general optimizer (README "Generalisation") into OUT (default runs/general):
# one net, lstm(preset=general) (inputs normalised by their running RMS, so the loss scale does
# not matter), on a mixture of quadratics of dimension 2, 10, 30 and 100 and MNIST nets with
# sigmoid and ReLU units, each problem's parameters rescaled by a random factor in [1/3, 3]
# (Lv et al. 2017), with the log-mean meta-loss (Wichrowska et al. 2017). Extra arguments go to
# `l2l4j train` (e.g. --resume, --threads 1, --epochs 100 for a short try).
#
#   scripts/train-general.sh [OUT] [train flags...]
#
# The shipped weights (core/src/main/resources/org/l2l4j/learned/pretrained/general.json) are
# this command's optimizer.json with the defaults below; copy it there to ship your own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-runs/general}"
shift || true
exec "$here/l2l4j" train \
  --problem 'mix(q2=quadratic(dim=2),q10=quadratic(dim=10),q30=quadratic(dim=30),q100=quadratic(dim=100),m=mnist(),r=mnist(activation=relu),param-scale=3)' \
  --optimizer 'lstm(preset=general)' \
  --meta-loss 'loss(transform=log-mean)' \
  --meta-lr 0.003 --steps 200 --unroll 20 --epochs 1600 \
  --validate-every 100 --validation-problems 12 --checkpoint-every 50 \
  --seed 20161205 --threads 2 --out "$out" "$@"
