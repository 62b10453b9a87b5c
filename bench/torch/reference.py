"""PyTorch reference timings for the bench workloads (CPU, eager), at 1 and 2 threads.

Run with the interpreter that has torch (here /usr/bin/python3, torch 1.13):

    /usr/bin/python3 bench/torch/reference.py

Same workloads and shapes as `pnpm bench` (bench/src/run.ts); inputs are random, since only the
time matters here. Median of 7 samples, each at least 25 ms of batched runs after a warm-up.
"""
import json
import math
import statistics
import sys
import time

import torch


def timeit(fn, min_ms=25.0, samples=7):
    for _ in range(3):
        fn()
    t0 = time.perf_counter()
    fn()
    one = max((time.perf_counter() - t0) * 1e3, 1e-3)
    runs = max(1, math.ceil(min_ms / one))
    out = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(runs):
            fn()
        out.append((time.perf_counter() - t0) * 1e3 / runs)
    return statistics.median(out)


def matmul(n):
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    return lambda: torch.mm(a, b)


def mlp_step():
    sizes = [64, 128, 128, 10]
    ws = [torch.randn(i, o).mul_(math.sqrt(2 / (i + o))).requires_grad_() for i, o in zip(sizes, sizes[1:])]
    bs = [torch.zeros(o).requires_grad_() for o in sizes[1:]]
    x = torch.rand(256, 64)
    y = torch.randint(0, 10, (256,))

    def step():
        h = x
        for l, (w, b) in enumerate(zip(ws, bs)):
            h = h @ w + b
            if l + 1 < len(ws):
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, y)
        grads = torch.autograd.grad(loss, ws + bs)
        with torch.no_grad():
            for p, g in zip(ws + bs, grads):
                p.sub_(0.1 * g)

    return step


def pgd20():
    sizes = [64, 64, 10]
    ws = [torch.randn(i, o) * 3 * math.sqrt(2 / (i + o)) for i, o in zip(sizes, sizes[1:])]
    bs = [torch.zeros(o) for o in sizes[1:]]
    x0 = torch.rand(450, 64)
    y = torch.randint(0, 10, (450,))
    eps, alpha = 0.1, 2.5 * 0.1 / 20
    lo, hi = (x0 - eps).clamp(min=0), (x0 + eps).clamp(max=1)

    def attack():
        x = x0
        for _ in range(20):
            x = x.detach().requires_grad_()
            h = x
            for l, (w, b) in enumerate(zip(ws, bs)):
                h = h @ w + b
                if l + 1 < len(ws):
                    h = torch.relu(h)
            (g,) = torch.autograd.grad(torch.nn.functional.cross_entropy(h, y), x)
            x = torch.minimum(torch.maximum(x + alpha * g.sign(), lo), hi)
        return x

    return attack


def gp_grad(n=500, d=3):
    X = torch.rand(n, d, dtype=torch.float64)
    Y = torch.sin(3 * X).sum(1, keepdim=True)
    D2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    I = torch.eye(n, dtype=torch.float64)
    theta0 = torch.tensor([math.log(0.3), 0.0, math.log(0.01)], dtype=torch.float64)

    def step():
        theta = theta0.clone().requires_grad_()
        K = theta[1].exp() * torch.exp(-0.5 * D2 * torch.exp(-2 * theta[0])) + I * theta[2].exp()
        L = torch.linalg.cholesky(K)
        alpha = torch.linalg.solve_triangular(L, Y, upper=False)
        nll = 0.5 * (alpha * alpha).sum() + torch.log(torch.diagonal(L)).sum() + 0.5 * n * math.log(2 * math.pi)
        (g,) = torch.autograd.grad(nll, theta)
        return g

    return step


WORKLOADS = {
    "matmul-256": lambda: matmul(256),
    "matmul-512": lambda: matmul(512),
    "matmul-1024": lambda: matmul(1024),
    "mlp-step": mlp_step,
    "pgd-20": pgd20,
    "gp-lml-grad": gp_grad,
}


def main():
    torch.manual_seed(0)
    results = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for name, make in WORKLOADS.items():
            ms = timeit(make())
            results.setdefault(name, {})[threads] = ms
            print(f"{name:12s} threads={threads} {ms:9.3f} ms", file=sys.stderr)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads max")
    print("| workload | PyTorch 1 thread ms | PyTorch 2 threads ms |")
    print("| --- | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r[1]:.2f} | {r[2]:.2f} |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
