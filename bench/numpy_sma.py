"""The vectorised numpy reference of the backtest benchmark: the SMA(10/30) crossover of the
template over the same bars (a hand-off file: [n, time*n, open*n, high*n, low*n, close*n, volume*n]
little-endian float64), long 100 at the next open after the fast SMA crosses above the slow one,
flat at the next open after it crosses back, with the per-bar equity curve. SMAs from cumulative
sums. Prints the best of 5 runs in ms and the trade count as JSON on stdout."""
import json
import sys
import time

import numpy as np


def run(opn, close, fast=10, slow=30, size=100.0, cash=1_000_000.0, commission=0.001):
    c = np.cumsum(np.concatenate(([0.0], close)))
    f = (c[fast:] - c[:-fast]) / fast
    s = (c[slow:] - c[:-slow]) / slow
    above = f[slow - fast:] > s  # aligned at bar index slow-1 onwards
    flips = np.diff(above.astype(np.int8))
    first = slow  # index of the bar after the first comparable one
    entries = np.nonzero(flips == 1)[0] + first
    exits = np.nonzero(flips == -1)[0] + first
    exits = exits[exits > (entries[0] if entries.size else len(close))]
    fill_in = entries[entries + 1 < len(close)] + 1
    fill_out = exits[exits + 1 < len(close)] + 1
    k = min(fill_in.size, fill_out.size)
    pnl = (opn[fill_out[:k]] - opn[fill_in[:k]]) * size - commission * size * (opn[fill_out[:k]] + opn[fill_in[:k]])
    held = np.zeros(len(close) + 1, dtype=np.float64)
    np.add.at(held, fill_in, size)
    np.add.at(held, fill_out[:k], -size)
    position = np.cumsum(held[:-1])
    flow = np.zeros(len(close) + 1)
    np.add.at(flow, fill_in, -opn[fill_in] * size)
    np.add.at(flow, fill_out[:k], opn[fill_out[:k]] * size)
    equity = cash + np.cumsum(flow[:-1]) + position * close
    return int(k), float(pnl.sum()), float(equity[-1])


def main():
    a = np.fromfile(sys.argv[1], dtype="<f8")
    n = int(a[0])
    opn = a[1 + n : 1 + 2 * n]
    close = a[1 + 4 * n : 1 + 5 * n]
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        trades, _, _ = run(opn, close)
        best = min(best, (time.perf_counter() - t0) * 1000)
    print(json.dumps({"ms": best, "trades": trades, "numpy": np.__version__}))


main()
