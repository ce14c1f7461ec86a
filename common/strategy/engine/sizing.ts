/**
 * Position sizing by a fraction of equity (`ctx.sizeFor`): the size worth `fraction` of equity at
 * `price`, rounded down to the instrument's lot (by the broker's lot rounding), or to 8 decimals
 * when the run has no lot size, so the order never asks for more than the fraction.
 */

/** Decimals kept when the instrument has no lot size. */
const FREE_DECIMALS = 8;

/** The size worth `fraction` of `equity` at `price`, rounded down by `roundLot`; 0 when none fits. */
export function sizeForFraction(equity: number, price: number, fraction: number, roundLot: (size: number) => number): number {
  if (typeof fraction !== "number" || !Number.isFinite(fraction) || fraction <= 0) {
    throw new RangeError(`ctx.sizeFor: fraction must be a positive number (0.5 = half the equity), got ${String(fraction)}`);
  }
  if (!(price > 0) || !(equity > 0)) return 0;
  const raw = (equity * fraction) / price;
  const lotted = roundLot(raw);
  const scale = 10 ** FREE_DECIMALS;
  // The lot grid is already exact; without a lot, cut (never round up) to FREE_DECIMALS.
  const cut = lotted === raw ? Math.floor(raw * scale) / scale : lotted;
  return cut > 0 ? cut : 0;
}
