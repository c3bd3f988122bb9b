#!/usr/bin/env python3
"""PyTorch side of bench/compare.sh: the same truncated-BPTT unroll as l2l4j, written as fast as
PyTorch (CPU, eager) allows.

The network is l2l4j's coordinatewise LSTM (paper preset: log-sign preprocessing p = 10, two LSTM
layers of 20 units, forget bias 1.0, a 20 -> 1 output times 0.1), applied to n coordinates as a
batch of n rows. One unroll = T = 20 steps forward (theta += update) and one backward pass of the
meta-loss with second derivatives dropped: the optimizee gradients are detached inputs, and the
meta-loss sum_t <theta_t, grad_t> has exactly the upstream gradients l2l4j injects
(dL/dtheta_t = grad_t).

Implementations of the LSTM step (--impl; compare.sh runs each and keeps the fastest):
  cat       Sonnet's cell as written: z = [x, h] @ W + b, split, sigma/tanh in Python.
  split     no concatenation: z = addmm(addmm(b, x, Wx), h, Wh) (two BLAS calls, no copy).
  lstmcell  ATen's own cell, torch.lstm_cell (one C++ op for the cell: no Python per gate). Its
            gate order is i, f, g, o; the weights are Sonnet's columns permuted and the forget
            bias 1.0 folded into the bias, so the function computed is the same.
  fm        feature-major: states [H, n] and z = W^T [x; h], so that every gate is a contiguous
            block (the cat/split versions slice gates out of [n, 4H] with strides).
  script    the whole optimizer step (preprocessing, both cells, output) in TorchScript (no
            Python between the ops; Debian's torch has no LLVM, so its CPU fuser cannot be used).

"mnist-epoch" runs a whole meta-training epoch of the paper's MNIST task: a 784-20-10 sigmoid MLP
(batch 128 drawn from 10,000 random images: this measures speed only) optimized for 100 steps in
5 unrolls of 20 by the LSTM; per step one small autograd graph and torch.autograd.grad for the
MLP's gradient (detached), per unroll one graph of the LSTM steps, one backward and one step of
torch.optim.Adam.

"sgemm" times a 1024x1024 float32 matrix product in this process and prints which BLAS library
the process loaded (from /proc/self/maps), so that compare.sh can refuse a reference-BLAS torch.

Usage: pytorch_unroll.py THREADS MODE N [REPEATS] [--impl NAME]
  THREADS: a number (torch.set_num_threads) or "default" (torch's own choice)
  MODE: unroll | mnist-epoch | sgemm | check (every implementation against cat, float64)
Prints one line: pytorch MODE threads=.. n=.. impl=.. seconds=.. coord_steps_per_s=.. peak_rss_mb=..
"""
import math
import os
import resource
import sys
import time

import torch

H = 20
P = 10.0
SCALE = 0.1
IMPLS = ("cat", "split", "lstmcell", "script", "fm")


def trunc_normal(g, shape, std):
    return torch.randn(shape, generator=g).clamp(-2, 2) * std


class Lstm:
    """The optimizer's weights in Sonnet's layout ([in + H, 4H], gates i, j, f, o)."""

    def __init__(self):
        g = torch.Generator().manual_seed(0)
        self.w1 = trunc_normal(g, (2 + H, 4 * H), 1 / math.sqrt(2 + H)).requires_grad_()
        self.b1 = trunc_normal(g, (4 * H,), 1 / math.sqrt(2 + H)).requires_grad_()
        self.w2 = trunc_normal(g, (2 * H, 4 * H), 1 / math.sqrt(2 * H)).requires_grad_()
        self.b2 = trunc_normal(g, (4 * H,), 1 / math.sqrt(2 * H)).requires_grad_()
        self.wo = trunc_normal(g, (H, 1), 1 / math.sqrt(H)).requires_grad_()
        self.bo = torch.zeros(1, requires_grad=True)

    def params(self):
        return [self.w1, self.b1, self.w2, self.b2, self.wo, self.bo]


def preprocess(grad):
    a = grad.abs()
    big = a >= math.exp(-P)
    f0 = torch.where(big, torch.log(a.clamp_min(1e-38)) / P, torch.full_like(a, -1.0))
    f1 = torch.where(big, torch.sign(grad), math.exp(P) * grad)
    return torch.stack([f0, f1], dim=1)


def sonnet_cell(z, c):
    i, j, f, o = z.split(H, dim=1)
    c = torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)
    return torch.tanh(c) * torch.sigmoid(o), c


def step_cat(net, grad, state):
    x = preprocess(grad)
    h1, c1, h2, c2 = state
    h1, c1 = sonnet_cell(torch.addmm(net.b1, torch.cat([x, h1], dim=1), net.w1), c1)
    h2, c2 = sonnet_cell(torch.addmm(net.b2, torch.cat([h1, h2], dim=1), net.w2), c2)
    return SCALE * torch.addmm(net.bo, h2, net.wo).squeeze(1), (h1, c1, h2, c2)


def step_split(net, grad, state):
    x = preprocess(grad)
    h1, c1, h2, c2 = state
    w1x, w1h = net.w1[:2], net.w1[2:]
    w2x, w2h = net.w2[:H], net.w2[H:]
    h1, c1 = sonnet_cell(torch.addmm(torch.addmm(net.b1, x, w1x), h1, w1h), c1)
    h2, c2 = sonnet_cell(torch.addmm(torch.addmm(net.b2, h1, w2x), h2, w2h), c2)
    return SCALE * torch.addmm(net.bo, h2, net.wo).squeeze(1), (h1, c1, h2, c2)


def fm_cell(z, c):
    i, j, f, o = z.split(H, dim=0)  # rows: each gate a contiguous [H, n] block
    c = torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)
    return torch.tanh(c) * torch.sigmoid(o), c


def step_fm(net, grad, state, cache):
    """Feature-major: states are [H, n], so every gate is a contiguous block of z = W^T [x; h]."""
    a = grad.abs()
    big = a >= math.exp(-P)
    f0 = torch.where(big, torch.log(a.clamp_min(1e-38)) / P, torch.full_like(a, -1.0))
    f1 = torch.where(big, torch.sign(grad), math.exp(P) * grad)
    x = torch.stack([f0, f1], dim=0)
    h1, c1, h2, c2 = state
    w1x, w1h, b1, w2x, w2h, b2, wo = cache
    h1, c1 = fm_cell(torch.addmm(torch.addmm(b1, w1x, x), w1h, h1), c1)
    h2, c2 = fm_cell(torch.addmm(torch.addmm(b2, w2x, h1), w2h, h2), c2)
    return SCALE * (torch.mm(wo, h2).squeeze(0) + net.bo), (h1, c1, h2, c2)


def aten_weights(w, b, inputs):
    """Sonnet's [in + H, 4H] (i, j, f, o) as torch.lstm_cell's w_ih [4H, in], w_hh [4H, H], bias
    (i, f, g, o), forget bias folded in; differentiable, so gradients reach w and b."""
    order = torch.cat([torch.arange(0, H), torch.arange(2 * H, 3 * H), torch.arange(H, 2 * H),
                       torch.arange(3 * H, 4 * H)])
    wt = w[:, order].t()
    bias = b[order] + torch.cat([torch.zeros(H), torch.ones(H), torch.zeros(2 * H)])
    return wt[:, :inputs].contiguous(), wt[:, inputs:].contiguous(), bias


def make_step_lstmcell(net):
    def step(net_, grad, state, cache):
        x = preprocess(grad)
        h1, c1, h2, c2 = state
        (a1, a2) = cache
        h1, c1 = torch.lstm_cell(x, (h1, c1), a1[0], a1[1], a1[2], None)
        h2, c2 = torch.lstm_cell(h1, (h2, c2), a2[0], a2[1], a2[2], None)
        return SCALE * torch.addmm(net_.bo, h2, net_.wo).squeeze(1), (h1, c1, h2, c2)
    return step


@torch.jit.script
def scripted_step(grad: torch.Tensor, h1: torch.Tensor, c1: torch.Tensor, h2: torch.Tensor,
                  c2: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor,
                  b2: torch.Tensor, wo: torch.Tensor, bo: torch.Tensor):
    p: float = 10.0
    a = grad.abs()
    big = a >= math.exp(-p)
    f0 = torch.where(big, torch.log(a.clamp_min(1e-38)) / p, torch.full_like(a, -1.0))
    f1 = torch.where(big, torch.sign(grad), math.exp(p) * grad)
    x = torch.stack([f0, f1], dim=1)
    z1 = torch.addmm(b1, torch.cat([x, h1], dim=1), w1)
    i1, j1, g1, o1 = z1.chunk(4, dim=1)
    c1 = torch.sigmoid(g1 + 1.0) * c1 + torch.sigmoid(i1) * torch.tanh(j1)
    h1 = torch.tanh(c1) * torch.sigmoid(o1)
    z2 = torch.addmm(b2, torch.cat([h1, h2], dim=1), w2)
    i2, j2, g2, o2 = z2.chunk(4, dim=1)
    c2 = torch.sigmoid(g2 + 1.0) * c2 + torch.sigmoid(i2) * torch.tanh(j2)
    h2 = torch.tanh(c2) * torch.sigmoid(o2)
    u = 0.1 * torch.addmm(bo, h2, wo).squeeze(1)
    return u, h1, c1, h2, c2


class Stepper:
    """One optimizer step of the chosen implementation; prepare() once per unroll (it builds the
    per-unroll weight views that some implementations need, inside the unroll's graph)."""

    def __init__(self, impl, net):
        self.impl, self.net = impl, net
        self.cache = None

    def prepare(self):
        n = self.net
        if self.impl == "lstmcell":
            self.cache = (aten_weights(n.w1, n.b1, 2), aten_weights(n.w2, n.b2, H))
        elif self.impl == "fm":
            w1t, w2t = n.w1.t(), n.w2.t()
            self.cache = (w1t[:, :2], w1t[:, 2:], n.b1[:, None], w2t[:, :H], w2t[:, H:],
                          n.b2[:, None], n.wo.t())

    def adopt(self, state):
        """The recurrent state ([n, H] each) in this implementation's layout."""
        return tuple(x.t().contiguous() for x in state) if self.impl == "fm" else state

    def __call__(self, grad, state):
        n = self.net
        if self.impl == "cat":
            return step_cat(n, grad, state)
        if self.impl == "split":
            return step_split(n, grad, state)
        if self.impl == "lstmcell":
            return make_step_lstmcell(n)(n, grad, state, self.cache)
        if self.impl == "fm":
            return step_fm(n, grad, state, self.cache)
        u, h1, c1, h2, c2 = scripted_step(grad, *state, n.w1, n.b1, n.w2, n.b2, n.wo, n.bo)
        return u, (h1, c1, h2, c2)


def zero_state(n):
    return tuple(torch.zeros(n, H) for _ in range(4))


def unroll(step, n, steps, grads, state0):
    for p in step.net.params():
        p.grad = None
    step.prepare()
    theta = torch.zeros(n)
    state = step.adopt(state0)
    loss = None
    for t in range(steps):
        u, state = step(grads[t], state)
        theta = theta + u
        term = torch.dot(theta, grads[t + 1])
        loss = term if loss is None else loss + term
    loss.backward()


def mnist_epoch(step, outer, images, labels, gen):
    n = 784 * 20 + 20 + 20 * 10 + 10
    theta = torch.randn(n, generator=gen) * 0.01
    state = step.adopt(zero_state(n))
    count = images.shape[0]

    def value_and_grad(th):
        th = th.detach().requires_grad_()
        w1 = th[:784 * 20].view(784, 20)
        b1 = th[784 * 20:784 * 20 + 20]
        w2 = th[784 * 20 + 20:784 * 20 + 220].view(20, 10)
        b2 = th[784 * 20 + 220:]
        idx = torch.randint(0, count, (128,), generator=gen)
        hidden = torch.sigmoid(torch.addmm(b1, images[idx], w1))
        f = torch.nn.functional.cross_entropy(torch.addmm(b2, hidden, w2), labels[idx])
        (g,) = torch.autograd.grad(f, th)
        return g

    g = value_and_grad(theta)
    for _ in range(5):
        state = tuple(s.detach() for s in state)
        theta = theta.detach()
        outer.zero_grad(set_to_none=True)
        step.prepare()
        loss = None
        for _ in range(20):
            u, state = step(g, state)
            theta = theta + u
            g = value_and_grad(theta)
            term = torch.dot(theta, g)  # d loss / d theta_t = grad_t: second derivatives dropped
            loss = term if loss is None else loss + term
        loss.backward()
        outer.step()


def check(n):
    """Every implementation computes the same meta-gradient (float64 against the cat version)."""
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(3)
    grads = [torch.sign(torch.randn(n, generator=gen))
             * torch.pow(10.0, torch.empty(n).uniform_(-7, 1, generator=gen)) for _ in range(21)]
    state0 = tuple(torch.randn(n, H, generator=gen) * 0.5 for _ in range(4))
    ref = None
    for impl in IMPLS:
        net = Lstm()
        for p in net.params():
            p.data = p.data.double()
        unroll(Stepper(impl, net), n, 20, grads, state0)
        got = torch.cat([p.grad.reshape(-1) for p in net.params()])
        if ref is None:
            ref = got
        err = ((got - ref).abs().max() / ref.abs().max()).item()
        print(f"check impl={impl} max_rel_diff_vs_cat={err:.2e}")
        if not err < 1e-9:
            raise SystemExit(f"implementation {impl} disagrees with cat: {err}")


def blas_library():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ",".join(sorted(libs)) or "none"
    except OSError:
        return "unknown"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--impl")]
    impl = "split"
    for i, a in enumerate(sys.argv):
        if a.startswith("--impl="):
            impl = a.split("=", 1)[1]
        elif a == "--impl":
            impl = sys.argv[i + 1]
            args.remove(impl)
    if impl not in IMPLS:
        raise SystemExit("--impl must be one of " + ", ".join(IMPLS))
    mode, n = args[1], int(args[2])
    repeats = int(args[3]) if len(args) > 3 else 5
    if args[0] != "default":  # "default": leave torch's own thread count
        torch.set_num_threads(int(args[0]))
    threads = torch.get_num_threads()
    torch.manual_seed(1)
    if mode == "sgemm":
        a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
        for _ in range(3):
            a @ b
        t0 = time.perf_counter()
        for _ in range(repeats):
            a @ b
        secs = (time.perf_counter() - t0) / repeats
        env = " ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ)
                       if k.startswith(("OPENBLAS", "OMP_", "MKL_")))
        print(f"pytorch sgemm threads={threads} n=1024 gflops={2 * 1024 ** 3 / secs / 1e9:.1f}"
              f" torch={torch.__version__} blas={blas_library()} torch_threads={torch.get_num_threads()}"
              f" env=[{env}]")
        return
    if mode == "check":
        check(n)
        return
    net = Lstm()
    step = Stepper(impl, net)
    if mode == "unroll":
        steps = 20
        gen = torch.Generator().manual_seed(42)
        grads = [torch.sign(torch.randn(n, generator=gen))
                 * torch.pow(10.0, torch.empty(n).uniform_(-7, 1, generator=gen)) for _ in range(steps + 1)]
        state0 = tuple(torch.tanh(torch.randn(n, H, generator=gen)) if k % 2 == 0
                       else torch.randn(n, H, generator=gen) for k in range(4))
        for _ in range(2):  # warm-up (TorchScript profiles its first runs)
            unroll(step, n, steps, grads, state0)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            unroll(step, n, steps, grads, state0)
            times.append(time.perf_counter() - t0)
        secs = sorted(times)[len(times) // 2]
        rate = n * steps / secs
    elif mode == "mnist-epoch":
        n = 15910
        gen = torch.Generator().manual_seed(7)
        images = torch.rand(10000, 784, generator=gen)
        labels = torch.randint(0, 10, (10000,), generator=gen)
        outer = torch.optim.Adam(net.params(), lr=0.001)
        for _ in range(2):
            mnist_epoch(step, outer, images, labels, gen)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            mnist_epoch(step, outer, images, labels, gen)
            times.append(time.perf_counter() - t0)
        secs = sorted(times)[len(times) // 2]
        rate = n * 100 / secs
    else:
        raise SystemExit("mode must be unroll, mnist-epoch, sgemm or check")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {mode} threads={threads} n={n} impl={impl} seconds={secs:.4f}"
          f" coord_steps_per_s={rate:.4g} peak_rss_mb={rss:.0f}")


if __name__ == "__main__":
    main()
