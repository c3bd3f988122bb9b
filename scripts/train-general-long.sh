#!/usr/bin/env bash
# Meta-trains the long-horizon general optimizer, general-long (README "Generalisation"), into OUT
# (default runs/general-long): it fine-tunes the shipped `general` (--init-from general, same net)
# on the same mixture of quadratics with 1,000-step episodes instead of 200, outer Adam at 1e-4
# (ten times smaller than general's), 5,000 epochs, validated every 50 epochs on 12 problems of
# 1,000 steps by the mean log loss (about 14 minutes on one busy core; the best is epoch 2,250).
# Extra arguments go to `l2l4j train` (e.g. --resume, --threads 2, --epochs 100 for a short try).
#
#   scripts/train-general-long.sh [OUT] [train flags...]
#
# The shipped weights (core/src/main/resources/org/l2l4j/learned/pretrained/general-long.json)
# are this command's optimizer.json with the defaults below; copy it there to ship your own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-runs/general-long}"
shift || true
exec "$here/l2l4j" train \
  --problem 'mix(q2=quadratic(dim=2),q10=quadratic(dim=10),q30=quadratic(dim=30),q100=quadratic(dim=100),param-scale=3)' \
  --init-from general \
  --meta-loss 'loss(transform=log-mean)' \
  --meta-lr 0.0001 --steps 1000 --unroll 20 --epochs 5000 \
  --validate-every 50 --validation-problems 12 --checkpoint-every 50 \
  --seed 7 --threads 1 --out "$out" "$@"
