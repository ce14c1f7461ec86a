/**
 * Price and size rounding, slippage and fee rates of the simulated broker.
 * Fill prices round to the instrument's tick against the trader (buys up, sells down); sizes
 * round down to the lot. Rounding goes through integer tick counts and the tick's decimals, so a
 * rounded price is the shortest decimal a person would write (0.3, not 0.30000000000000004).
 */
import type { InstrumentSpec } from "../results.ts";

function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 12;
}

/** Rounds `x` to a multiple of `step`: mode -1 down, 0 nearest, 1 up. */
function roundToStep(x: number, step: number, decimals: number, mode: -1 | 0 | 1): number {
  const k = x / step;
  const n = mode === 1 ? Math.ceil(k - 1e-9) : mode === -1 ? Math.floor(k + 1e-9) : Math.round(k);
  return Number((n * step).toFixed(decimals));
}

/** The rounding and cost rules of one run. */
export class Pricing {
  private readonly tick: number;
  private readonly tickDecimals: number;
  private readonly lot: number;
  private readonly lotDecimals: number;
  private readonly slipFraction: number;
  private readonly slipPrice: number;
  readonly makerRate: number;
  readonly takerRate: number;

  constructor(opts: {
    instrument?: InstrumentSpec;
    commission: number;
    makerFee?: number;
    takerFee?: number;
    slippageBps: number;
    slippageTicks?: number;
  }) {
    this.tick = opts.instrument?.tickSize ?? 0;
    this.lot = opts.instrument?.lotSize ?? 0;
    this.tickDecimals = this.tick > 0 ? decimalsOf(this.tick) : 0;
    this.lotDecimals = this.lot > 0 ? decimalsOf(this.lot) : 0;
    this.slipFraction = opts.slippageBps / 10_000;
    this.slipPrice = (opts.slippageTicks ?? 0) * this.tick;
    this.makerRate = opts.makerFee ?? opts.commission;
    this.takerRate = opts.takerFee ?? opts.commission;
  }

  /** The same tick/lot grid with other costs (a paper session's own fees and slippage). */
  withCosts(costs: { makerFee: number; takerFee: number; slippageBps: number }): Pricing {
    return new Pricing({ instrument: { tickSize: this.tick, lotSize: this.lot }, commission: costs.takerFee, makerFee: costs.makerFee, takerFee: costs.takerFee, slippageBps: costs.slippageBps });
  }

  /** An order's limit/stop price on the tick grid (nearest). */
  orderPrice(price: number): number {
    return this.tick > 0 ? roundToStep(price, this.tick, this.tickDecimals, 0) : price;
  }

  /** An order size on the lot grid (down); 0 when below one lot. */
  size(size: number): number {
    return this.lot > 0 ? roundToStep(size, this.lot, this.lotDecimals, -1) : size;
  }

  /** The fill price of a market or stop fill at `raw`: slipped against the trader, then on the tick. */
  slipped(side: 1 | -1, raw: number): number {
    const p = raw * (1 + side * this.slipFraction) + side * this.slipPrice;
    return this.onTick(side, p);
  }

  /** A fill price on the tick grid, rounded against the trader. */
  onTick(side: 1 | -1, price: number): number {
    return this.tick > 0 ? roundToStep(price, this.tick, this.tickDecimals, side) : price;
  }
}
