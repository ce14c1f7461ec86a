/** The manual order ticket: buy/sell the chart's instrument on paper, market, limit or stop, size in base or quote. */
import { useState } from "react";
import type { InstrumentRef } from "../chart/types.ts";
import { Empty } from "../panels/Placeholder.tsx";
import { useTrading } from "../stores/trading.ts";

/** The ticket for `instrument` (the chart's). */
export function OrderTicket({ instrument }: { instrument: InstrumentRef | null }): React.JSX.Element {
  const [type, setType] = useState<"market" | "limit" | "stop">("market");
  const [size, setSize] = useState("");
  const [unit, setUnit] = useState<"base" | "quote">("base");
  const [price, setPrice] = useState("");
  const place = useTrading((s) => s.place);
  const placed = useTrading((s) => s.placed);
  const last = useTrading((s) => s.positions.find((p) => p.venue === instrument?.venue && p.symbol === instrument?.symbol)?.last ?? null);
  if (!instrument) return <Empty>Open a symbol on the chart to trade it.</Empty>;
  const send = (side: "buy" | "sell") => {
    const n = Number(size);
    const p = type === "market" ? undefined : Number(price);
    const ref = p ?? last;
    if (!(n > 0) || (p !== undefined && !(p > 0))) return;
    if (unit === "quote" && !ref) return;
    const base = unit === "quote" ? n / ref! : n;
    void place({ venue: instrument.venue, symbol: instrument.symbol, side, type, size: base, ...(p !== undefined ? { price: p } : {}) });
  };
  return (
    <form className="ticket" data-testid="order-ticket" onSubmit={(e) => e.preventDefault()}>
      <p>{instrument.venue} · {instrument.symbol}{last ? ` · last ${last}` : ""}</p>
      <label>Type <select value={type} onChange={(e) => setType(e.target.value as typeof type)}><option>market</option><option>limit</option><option>stop</option></select></label>
      <label>Size <input inputMode="decimal" value={size} onChange={(e) => setSize(e.target.value)} aria-label="Size" /></label>
      <label>In <select value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}><option value="base">base</option><option value="quote">quote</option></select></label>
      {type !== "market" ? <label>Price <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-label="Price" /></label> : null}
      <button className="up" onClick={() => send("buy")}>Buy</button>
      <button className="down" onClick={() => send("sell")}>Sell</button>
      {placed ? <p data-testid="ticket-result">{placed.id}: {placed.status}{placed.reason ? ` — ${placed.reason}` : ""}</p> : null}
    </form>
  );
}
