/**
 * The manual order ticket: buy/sell the chart's instrument on paper, market, limit or stop, size in
 * base or quote, or — choosing a live account core has open — a real market or limit order on it
 * (the ticket turns red and says LIVE). A click on an order book level opens it as a limit at that price.
 */
import { useEffect, useState } from "react";
import type { InstrumentRef } from "../chart/types.ts";
import { Empty } from "../panels/Placeholder.tsx";
import { useTrading } from "../stores/trading.ts";
import { useLive } from "../stores/live.ts";
import { ModeBadge } from "./LiveBadge.tsx";

/** The ticket for `instrument` (the chart's). */
export function OrderTicket({ instrument }: { instrument: InstrumentRef | null }): React.JSX.Element {
  const [type, setType] = useState<"market" | "limit" | "stop">("market");
  const [size, setSize] = useState("");
  const [unit, setUnit] = useState<"base" | "quote">("base");
  const [price, setPrice] = useState("");
  const [account, setAccount] = useState("paper");
  const liveAccounts = useLive((s) => s.accounts);
  const placeLive = useLive((s) => s.place);
  const live = account !== "paper" && liveAccounts.some((a) => a.id === account && a.venue === instrument?.venue);
  const placePaper = useTrading((s) => s.place);
  const placedPaper = useTrading((s) => s.placed);
  const placedLive = useLive((s) => s.placed);
  const placed = live ? placedLive : placedPaper;
  const draft = useTrading((s) => s.ticketDraft);
  useEffect(() => {
    if (!draft) return;
    setType("limit");
    setPrice(draft.price);
  }, [draft]);
  const last = useTrading((s) => s.positions.find((p) => p.venue === instrument?.venue && p.symbol === instrument?.symbol)?.last ?? null);
  if (!instrument) return <Empty>Open a symbol on the chart to trade it.</Empty>;
  const send = (side: "buy" | "sell") => {
    const n = Number(size);
    const p = type === "market" ? undefined : Number(price);
    const ref = p ?? last;
    if (!(n > 0) || (p !== undefined && !(p > 0))) return;
    if (unit === "quote" && !ref) return;
    const base = unit === "quote" ? n / ref! : n;
    const priced = p !== undefined ? { price: p } : {};
    if (live && type !== "stop") void placeLive({ account, symbol: instrument.symbol, side, type, size: base, ...priced });
    else if (!live) void placePaper({ venue: instrument.venue, symbol: instrument.symbol, side, type, size: base, ...priced });
  };
  return (
    <form className={live ? "ticket live-box" : "ticket"} data-testid="order-ticket" data-live={live} onSubmit={(e) => e.preventDefault()}>
      <p><ModeBadge live={live} testId="ticket-mode" /> {instrument.venue} · {instrument.symbol}{last ? ` · last ${last}` : ""}</p>
      <label>Account <select aria-label="Account" data-testid="ticket-account" value={account} onChange={(e) => setAccount(e.target.value)}>
        <option value="paper">paper:{instrument.venue}</option>
        {liveAccounts.filter((a) => a.venue === instrument.venue).map((a) => <option key={a.id} value={a.id}>{a.id} (LIVE, {a.env})</option>)}
      </select></label>
      <label>Type <select value={type} onChange={(e) => setType(e.target.value as typeof type)}><option>market</option><option>limit</option>{live ? null : <option>stop</option>}</select></label>
      <label>Size <input inputMode="decimal" value={size} onChange={(e) => setSize(e.target.value)} aria-label="Size" /></label>
      <label>In <select value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}><option value="base">base</option><option value="quote">quote</option></select></label>
      {type !== "market" ? <label>Price <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-label="Price" /></label> : null}
      <button className="up" onClick={() => send("buy")}>{live ? "Buy LIVE" : "Buy"}</button>
      <button className="down" onClick={() => send("sell")}>{live ? "Sell LIVE" : "Sell"}</button>
      {draft ? <p className="muted" data-testid="ticket-draft">From the book: {draft.side} at {draft.price}</p> : null}
      {placed ? <p data-testid="ticket-result">{placed.id}: {placed.status}{placed.reason ? ` — ${placed.reason}` : ""}</p> : null}
    </form>
  );
}
