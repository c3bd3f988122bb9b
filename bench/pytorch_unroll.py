#!/usr/bin/env python3
"""PyTorch baseline for bench/compare.sh: the same truncated-BPTT unroll as l2l4j.

The network is l2l4j's coordinatewise LSTM (paper preset: log-sign preprocessing p=10, two LSTM
layers of 20 units with Sonnet's gate order i, j, f, o and forget bias 1.0, a 20->1 output times
0.1), applied to n coordinates as a batch of n rows. One unroll = T steps forward
(theta += update) and one backward pass of the meta-loss with second derivatives dropped: the
optimizee gradients are detached inputs, and the meta-loss sum_t <theta_t, grad_t> has exactly
the upstream gradients l2l4j injects (dL/dtheta_t = grad_t).

The "MNIST epoch" mode runs the whole epoch of the paper's MNIST task: a 784-20-10 sigmoid MLP
(batch 128, random images: this measures speed only) optimized for 100 steps in 5 unrolls of 20
by the LSTM, with the MLP's gradients from autograd (detached) and an outer Adam step per unroll.

Usage: pytorch_unroll.py THREADS MODE N [REPEATS]   (MODE: unroll | mnist-epoch)
Prints one line: mode threads n seconds_per_item coordinate_steps_per_second peak_rss_mb
"""
import math
import resource
import sys
import time

import torch

H = 20
P = 10.0


class CoordinatewiseLstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)

        def tn(shape, std):
            return (torch.randn(shape, generator=g).clamp(-2, 2) * std).requires_grad_()

        self.w1 = tn((2 + H, 4 * H), 1 / math.sqrt(2 + H))
        self.b1 = tn((4 * H,), 1 / math.sqrt(2 + H))
        self.w2 = tn((2 * H, 4 * H), 1 / math.sqrt(2 * H))
        self.b2 = tn((4 * H,), 1 / math.sqrt(2 * H))
        self.wo = tn((H, 1), 1 / math.sqrt(H))
        self.bo = torch.zeros(1, requires_grad=True)

    def params(self):
        return [self.w1, self.b1, self.w2, self.b2, self.wo, self.bo]

    @staticmethod
    def cell(x, h, c, w, b):
        z = torch.cat([x, h], dim=1) @ w + b
        i, j, f, o = z.split(H, dim=1)
        c = torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)
        return torch.tanh(c) * torch.sigmoid(o), c

    def forward(self, grad, state):
        a = grad.abs()
        big = a >= math.exp(-P)
        f0 = torch.where(big, torch.log(a.clamp_min(1e-38)) / P, torch.full_like(a, -1.0))
        f1 = torch.where(big, torch.sign(grad), math.exp(P) * grad)
        x = torch.stack([f0, f1], dim=1)
        h1, c1, h2, c2 = state
        h1, c1 = self.cell(x, h1, c1, self.w1, self.b1)
        h2, c2 = self.cell(h1, h2, c2, self.w2, self.b2)
        return 0.1 * (h2 @ self.wo + self.bo).squeeze(1), (h1, c1, h2, c2)


def zero_state(n):
    return tuple(torch.zeros(n, H) for _ in range(4))


def unroll(net, n, steps, grads):
    theta = torch.zeros(n)
    state = zero_state(n)
    loss = 0.0
    for t in range(steps):
        u, state = net(grads[t], state)
        theta = theta + u
        loss = loss + (theta * grads[t + 1]).sum()
    for p in net.params():
        p.grad = None
    loss.backward()


def mnist_epoch(net, outer, images, labels):
    n = 784 * 20 + 20 + 20 * 10 + 10
    theta = (torch.randn(n) * 0.01)
    state = zero_state(n)

    def value_and_grad(th):
        th = th.detach().requires_grad_()
        w1 = th[:784 * 20].view(784, 20)
        b1 = th[784 * 20:784 * 20 + 20]
        w2 = th[784 * 20 + 20:784 * 20 + 20 + 200].view(20, 10)
        b2 = th[784 * 20 + 220:]
        idx = torch.randint(0, images.shape[0], (128,))
        logits = torch.sigmoid(images[idx] @ w1 + b1) @ w2 + b2
        f = torch.nn.functional.cross_entropy(logits, labels[idx])
        (g,) = torch.autograd.grad(f, th)
        return f.detach(), g.detach()

    f, g = value_and_grad(theta)
    for _ in range(5):
        state = tuple(s.detach() for s in state)
        theta = theta.detach()
        loss = 0.0
        for _ in range(20):
            u, state = net(g, state)
            theta = theta + u
            f, g = value_and_grad(theta)
            loss = loss + (theta * g).sum()  # d loss / d theta_t = grad_t: second derivatives dropped
        outer.zero_grad()
        loss.backward()
        outer.step()


def main():
    threads, mode, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = CoordinatewiseLstm()
    if mode == "unroll":
        steps = 20
        grads = [torch.randn(n) * torch.pow(10.0, torch.empty(n).uniform_(-6, 0)) for _ in range(steps + 1)]
        unroll(net, n, steps, grads)  # warm-up
        t0 = time.perf_counter()
        for _ in range(repeats):
            unroll(net, n, steps, grads)
        secs = (time.perf_counter() - t0) / repeats
        rate = n * steps / secs
    elif mode == "mnist-epoch":
        n = 15910
        images = torch.rand(10000, 784)
        labels = torch.randint(0, 10, (10000,))
        outer = torch.optim.Adam(net.params(), lr=0.001)
        mnist_epoch(net, outer, images, labels)  # warm-up
        t0 = time.perf_counter()
        for _ in range(repeats):
            mnist_epoch(net, outer, images, labels)
        secs = (time.perf_counter() - t0) / repeats
        rate = n * 100 / secs
    else:
        raise SystemExit("mode must be unroll or mnist-epoch")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {mode} threads={threads} n={n} seconds={secs:.4f} coord_steps_per_s={rate:.4g} peak_rss_mb={rss:.0f}")


if __name__ == "__main__":
    main()
