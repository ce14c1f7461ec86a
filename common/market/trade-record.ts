/**
 * The fixed 48-byte binary trade record strategy workers receive, and the frames that batch them.
 *
 * Record layout (little-endian):
 *
 * | offset | type | field |
 * | --- | --- | --- |
 * | 0  | int64  | ts: trade time, UTC ms |
 * | 8  | int64  | price mantissa: price = mantissa × 10^-priceScale |
 * | 16 | int64  | size mantissa: size = mantissa × 10^-sizeScale |
 * | 24 | uint64 | trade id: the venue's numeric id, or a 64-bit FNV-1a hash of it (flag `TRADE_ID_HASHED`) |
 * | 32 | uint32 | sequence: per instrument, +1 per trade on core's bus, wraps modulo 2^32 |
 * | 36 | uint32 | instrument id (core's registry) |
 * | 40 | uint8  | venue code ({@link VENUE_CODES}) |
 * | 41 | uint8  | side: 0 buy, 1 sell (the taker side) |
 * | 42 | uint16 | flags |
 * | 44 | uint8  | priceScale (0–18) |
 * | 45 | uint8  | sizeScale (0–18) |
 * | 46 | uint16 | reserved, 0 |
 *
 * Scale: each record carries its own decimal scales, normally the instrument's (tick and lot
 * decimals, default 8), so a record decodes exactly without any metadata. When a value has more
 * fraction digits than the instrument scale, the scale is raised to fit it exactly; a value whose
 * mantissa would not fit int64 (e.g. a price above 92 233 720 368 at scale 8 that also needs all
 * 8 decimals) is refused with {@link TradeRecordError}: never rounded, never wrapped. Values at the
 * decimal module's 1e-18 scale convert exactly with {@link rescale}.
 *
 * Frame layout: a 16-byte header (uint32 magic "WTR1", uint16 version 1, uint16 record size 48,
 * uint32 record count, uint32 reserved) followed by the records.
 */
import { fromScaled, toScaled } from "./decimal.ts";
import type { TradeEvent, VenueId } from "./events.ts";

/** Bytes per record. */
export const TRADE_RECORD_BYTES = 48;
/** Bytes of a frame header. */
export const TRADE_FRAME_HEADER_BYTES = 16;
/** "WTR1" as a little-endian uint32. */
export const TRADE_FRAME_MAGIC = 0x31525457;
/** The trade id field holds a hash of a non-numeric (or too large) venue id. */
export const TRADE_ID_HASHED = 1;
/** The first trade after the feed reconnected: trades may be missing before it. */
export const AFTER_RECONNECT = 2;

/** Venue codes in records. */
export const VENUE_CODES: Readonly<Record<VenueId, number>> = { kraken: 1, coinbase: 2, binance: 3 };
const VENUE_BY_CODE: readonly (VenueId | undefined)[] = [undefined, "kraken", "coinbase", "binance"];

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;
const MAX_SCALE = 18;
const NUMERIC_ID = /^\d{1,20}$/;

/** A value cannot be stored exactly in a record. */
export class TradeRecordError extends Error {}

/** One decoded record. */
export interface TradeRecord {
  ts: number;
  priceMantissa: bigint;
  priceScale: number;
  sizeMantissa: bigint;
  sizeScale: number;
  tradeId: bigint;
  sequence: number;
  instrumentId: number;
  venue: number;
  side: "buy" | "sell";
  flags: number;
}

/** What a record needs besides the trade itself. */
export interface RecordContext {
  instrumentId: number;
  sequence: number;
  /** Preferred scales (the instrument's decimals); default 8. */
  priceScale?: number;
  sizeScale?: number;
  flags?: number;
}

/** `mantissa` × 10^-from as a mantissa at scale `to`, exactly, or throws. */
export function rescale(mantissa: bigint, from: number, to: number): bigint {
  if (to >= from) return mantissa * 10n ** BigInt(to - from);
  const div = 10n ** BigInt(from - to);
  if (mantissa % div !== 0n) throw new TradeRecordError(`${fromScaled(mantissa, from)} needs more than ${to} decimals`);
  return mantissa / div;
}

function fractionDigits(canonical: string): number {
  const dot = canonical.indexOf(".");
  return dot < 0 ? 0 : canonical.length - dot - 1;
}

/** The int64 mantissa and scale for a canonical decimal at a preferred scale. */
export function scaledInt64(canonical: string, preferred: number): { mantissa: bigint; scale: number } {
  const scale = Math.min(MAX_SCALE, Math.max(preferred, fractionDigits(canonical)));
  let mantissa: bigint;
  try {
    mantissa = toScaled(canonical, scale);
  } catch (err) {
    throw new TradeRecordError((err as Error).message);
  }
  if (mantissa <= INT64_MAX && mantissa >= INT64_MIN) return { mantissa, scale };
  const minimal = fractionDigits(canonical);
  if (minimal < scale) return scaledInt64(canonical, minimal);
  throw new TradeRecordError(`${canonical} does not fit a 64-bit mantissa at ${scale} decimals`);
}

/** The trade id field: the numeric id itself, or a FNV-1a 64 hash flagged {@link TRADE_ID_HASHED}. */
export function tradeIdField(id: string): { value: bigint; hashed: boolean } {
  if (NUMERIC_ID.test(id)) {
    const v = BigInt(id);
    if (v <= UINT64_MAX) return { value: v, hashed: false };
  }
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < id.length; i++) h = ((h ^ BigInt(id.charCodeAt(i))) * 0x100000001b3n) & UINT64_MAX;
  return { value: h, hashed: true };
}

/** Builds the record of a normalized trade; throws {@link TradeRecordError} when a value does not fit. */
export function tradeToRecord(trade: TradeEvent, ctx: RecordContext): TradeRecord {
  const price = scaledInt64(trade.price, ctx.priceScale ?? 8);
  const size = scaledInt64(trade.size, ctx.sizeScale ?? 8);
  const id = tradeIdField(trade.tradeId);
  return {
    ts: trade.ts,
    priceMantissa: price.mantissa,
    priceScale: price.scale,
    sizeMantissa: size.mantissa,
    sizeScale: size.scale,
    tradeId: id.value,
    sequence: ctx.sequence >>> 0,
    instrumentId: ctx.instrumentId,
    venue: VENUE_CODES[trade.exchange],
    side: trade.side,
    flags: (ctx.flags ?? 0) | (id.hashed ? TRADE_ID_HASHED : 0),
  };
}

/** Writes one record at `offset`. */
export function writeTradeRecord(view: DataView, offset: number, r: TradeRecord): void {
  view.setBigInt64(offset, BigInt(r.ts), true);
  view.setBigInt64(offset + 8, r.priceMantissa, true);
  view.setBigInt64(offset + 16, r.sizeMantissa, true);
  view.setBigUint64(offset + 24, r.tradeId, true);
  view.setUint32(offset + 32, r.sequence >>> 0, true);
  view.setUint32(offset + 36, r.instrumentId >>> 0, true);
  view.setUint8(offset + 40, r.venue);
  view.setUint8(offset + 41, r.side === "buy" ? 0 : 1);
  view.setUint16(offset + 42, r.flags, true);
  view.setUint8(offset + 44, r.priceScale);
  view.setUint8(offset + 45, r.sizeScale);
  view.setUint16(offset + 46, 0, true);
}

/** Reads one record at `offset`. */
export function readTradeRecord(view: DataView, offset: number): TradeRecord {
  return {
    ts: Number(view.getBigInt64(offset, true)),
    priceMantissa: view.getBigInt64(offset + 8, true),
    sizeMantissa: view.getBigInt64(offset + 16, true),
    tradeId: view.getBigUint64(offset + 24, true),
    sequence: view.getUint32(offset + 32, true),
    instrumentId: view.getUint32(offset + 36, true),
    venue: view.getUint8(offset + 40),
    side: view.getUint8(offset + 41) === 0 ? "buy" : "sell",
    flags: view.getUint16(offset + 42, true),
    priceScale: view.getUint8(offset + 44),
    sizeScale: view.getUint8(offset + 45),
  };
}

/** The venue name of a record's venue code, or null for an unknown code. */
export function venueOfCode(code: number): VenueId | null {
  return VENUE_BY_CODE[code] ?? null;
}

/** The normalized trade a record stands for (the trade id is exact unless it was hashed). */
export function recordToTrade(r: TradeRecord, symbol: string): TradeEvent {
  return {
    type: "trade",
    exchange: venueOfCode(r.venue) ?? "kraken",
    symbol,
    price: fromScaled(r.priceMantissa, r.priceScale),
    size: fromScaled(r.sizeMantissa, r.sizeScale),
    side: r.side,
    tradeId: r.tradeId.toString(),
    ts: r.ts,
  };
}

/** Packs records into one frame. */
export function encodeTradeFrame(records: readonly TradeRecord[]): Uint8Array {
  const bytes = new Uint8Array(TRADE_FRAME_HEADER_BYTES + records.length * TRADE_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, TRADE_FRAME_MAGIC, true);
  view.setUint16(4, 1, true);
  view.setUint16(6, TRADE_RECORD_BYTES, true);
  view.setUint32(8, records.length, true);
  for (let i = 0; i < records.length; i++) writeTradeRecord(view, TRADE_FRAME_HEADER_BYTES + i * TRADE_RECORD_BYTES, records[i]!);
  return bytes;
}

/** Unpacks a frame; throws {@link TradeRecordError} when it is not a well-formed version-1 frame. */
export function decodeTradeFrame(bytes: Uint8Array): TradeRecord[] {
  if (bytes.byteLength < TRADE_FRAME_HEADER_BYTES) throw new TradeRecordError("frame shorter than its header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== TRADE_FRAME_MAGIC || view.getUint16(4, true) !== 1 || view.getUint16(6, true) !== TRADE_RECORD_BYTES) {
    throw new TradeRecordError("not a version-1 trade frame");
  }
  const count = view.getUint32(8, true);
  if (bytes.byteLength !== TRADE_FRAME_HEADER_BYTES + count * TRADE_RECORD_BYTES) throw new TradeRecordError("frame length does not match its count");
  const out = new Array<TradeRecord>(count);
  for (let i = 0; i < count; i++) out[i] = readTradeRecord(view, TRADE_FRAME_HEADER_BYTES + i * TRADE_RECORD_BYTES);
  return out;
}
