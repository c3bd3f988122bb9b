#!/usr/bin/env bash
# Meta-trains the general optimizer (README "Generalisation") into OUT (default runs/general):
# one net, lstm(preset=general) (inputs normalised by their running RMS, so the loss scale does
# not matter), on a mixture of quadratics of dimension 2, 10, 30 and 100, each problem's
# parameters rescaled by a random factor in [1/3, 3] (Lv et al. 2017), with the log-mean
# meta-loss (Wichrowska et al. 2017), 20,000 epochs of 200 steps (about 6 minutes on one core).
# Extra arguments go to `l2l4j train` (e.g. --resume, --threads 2, --epochs 100 for a short try).
#
#   scripts/train-general.sh [OUT] [train flags...]
#
# The shipped weights (core/src/main/resources/org/l2l4j/learned/pretrained/general.json) are
# this command's optimizer.json with the defaults below (the same bits for any --threads); copy
# it there to ship your own. The earlier general optimizer, general-v1.json, came from
#   --problem 'mix(q2=quadratic(dim=2),q10=quadratic(dim=10),q30=quadratic(dim=30),
#              q100=quadratic(dim=100),m=mnist(),r=mnist(activation=relu),param-scale=3)'
#   --meta-lr 0.003 --validate-every 100 --checkpoint-every 50, stopped at epoch 700 (best: 500)
# with the other settings below.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-runs/general}"
shift || true
exec "$here/l2l4j" train \
  --problem 'mix(q2=quadratic(dim=2),q10=quadratic(dim=10),q30=quadratic(dim=30),q100=quadratic(dim=100),param-scale=3)' \
  --optimizer 'lstm(preset=general)' \
  --meta-loss 'loss(transform=log-mean)' \
  --meta-lr 0.001 --steps 200 --unroll 20 --epochs 20000 \
  --validate-every 50 --validation-problems 12 --checkpoint-every 50 \
  --seed 20161205 --threads 1 --out "$out" "$@"
