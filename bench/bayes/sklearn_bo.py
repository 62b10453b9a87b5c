"""scikit-learn GP + EI driven by the same loop as bench/bayes/run.mjs (issue 6 comparison).

    /usr/bin/python3 bench/bayes/sklearn_bo.py [--seeds 10] [--json out.json]

Loop: scrambled-Sobol initial design of 2(d+1) points in the unit cube; then per step a
GaussianProcessRegressor (C * Matern-5/2 ARD + WhiteKernel, normalize_y, one optimizer restart,
bounds as in difflab's default BO kernel) on all observations, and EI (minimization) maximized by
scoring 512 Sobol points plus 32 perturbations of the incumbent, then L-BFGS-B (numerical
gradients) from the 8 best. Reports the median simple regret over seeds for Branin (budget 30)
and Hartmann-6 (budget 60).
"""
import argparse
import json
import math
import time

import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm, qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel as C, Matern, WhiteKernel
import warnings

warnings.filterwarnings('ignore')


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


A6 = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P6 = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x):
    x = np.asarray(x)
    return -float(np.sum(ALPHA * np.exp(-np.sum(A6 * (x - P6) ** 2, axis=1))))


PROBLEMS = [
    ('branin', branin, np.array([[-5, 10], [0, 15]], float), 5 / (4 * math.pi), 30),
    ('hartmann6', hartmann6, np.array([[0, 1]] * 6, float), -3.3223680114155147, 60),
]


def ei(gp, U, best):
    mu, sd = gp.predict(np.atleast_2d(U), return_std=True)
    sd = np.maximum(sd, 1e-12)
    z = (best - mu) / sd
    return sd * (z * norm.cdf(z) + norm.pdf(z))


def run(f, bounds, budget, seed):
    d = len(bounds)
    lo, hi = bounds[:, 0], bounds[:, 1]
    rng = np.random.RandomState(seed)
    U = list(qmc.Sobol(d, scramble=True, seed=seed).random(2 * (d + 1)))
    Y = [f(lo + u * (hi - lo)) for u in U]
    it = 0
    while len(Y) < budget:
        kernel = C(1.0, (1e-2, 1e2)) * Matern(np.full(d, 0.5), (1e-3, 1e2), nu=2.5) + WhiteKernel(1e-4, (1e-6, 1.0))
        gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=1, random_state=seed * 1000 + it)
        gp.fit(np.array(U), np.array(Y))
        best = min(Y)
        raw = qmc.Sobol(d, scramble=True, seed=seed * 1000 + it).random(512)
        ub = np.array(U[int(np.argmin(Y))])
        local = np.clip(ub + rng.randn(32, d) * np.where(np.arange(32)[:, None] % 2 == 0, 0.01, 0.05), 0, 1)
        cand = np.vstack([raw, local])
        vals = ei(gp, cand, best)
        starts = cand[np.argsort(-vals)[:8]]
        bx, bv = None, -np.inf
        for s in starts:
            r = minimize(lambda u: -ei(gp, u, best)[0], s, method='L-BFGS-B', bounds=[(0, 1)] * d)
            if -r.fun > bv:
                bx, bv = r.x, -r.fun
        U.append(bx)
        Y.append(f(lo + bx * (hi - lo)))
        it += 1
    return min(Y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=10)
    ap.add_argument('--json')
    a = ap.parse_args()
    out = []
    print('| problem | budget | method | median regret | 25% | 75% | max | s / run |')
    print('|---|---|---|---|---|---|---|---|')
    for name, f, bounds, fstar, budget in PROBLEMS:
        regrets, times = [], []
        for s in range(a.seeds):
            t0 = time.time()
            regrets.append(run(f, bounds, budget, s) - fstar)
            times.append(time.time() - t0)
        q = np.quantile(regrets, [0.25, 0.5, 0.75])
        fm = lambda v: f'{v:.2e}' if v < 1e-3 else f'{v:.3g}'
        print(f'| {name} | {budget} | sklearn GP + EI | {fm(q[1])} | {fm(q[0])} | {fm(q[2])} | {fm(max(regrets))} | {np.median(times):.1f} |', flush=True)
        out.append({'problem': name, 'budget': budget, 'regrets': regrets, 'median': float(q[1]), 'secondsPerRun': float(np.median(times))})
    if a.json:
        with open(a.json, 'w') as fh:
            json.dump(out, fh, indent=2)


if __name__ == '__main__':
    main()
