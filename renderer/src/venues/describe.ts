/**
 * Venue health in words for the status bar and Settings: state, last message age, reconnects, the
 * last error, and a clock warning when this computer's clock is more than 1 s off a venue's.
 */
import { CLOCK_WARN_MS, type VenueView } from "../../../common/api/market.ts";

/** "0.4 s", "12 s", "3 min", "2 h" — the age of the last message. */
export function formatAge(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** The clock warning of a venue, or null when its offset is unknown or within 1 s. */
export function clockNote(v: VenueView): string | null {
  if (v.clockOffsetMs === null || Math.abs(v.clockOffsetMs) <= CLOCK_WARN_MS) return null;
  return `clock ${(Math.abs(v.clockOffsetMs) / 1000).toFixed(1)} s ${v.clockOffsetMs > 0 ? "behind" : "ahead of"} ${v.name}`;
}

/** One status-bar line for an enabled venue: "Kraken connected · 0.4 s ago · 2 reconnects". */
export function venueSummary(v: VenueView): string {
  const parts = [`${v.name} ${v.state}`];
  if (v.lastMessageAgeMs !== null) parts.push(`${formatAge(v.lastMessageAgeMs)} ago`);
  if (v.reconnects > 0) parts.push(`${v.reconnects} reconnect${v.reconnects === 1 ? "" : "s"}`);
  if (v.lastError && v.state !== "connected") parts.push(v.lastError);
  const clock = clockNote(v);
  if (clock) parts.push(clock);
  return parts.join(" · ");
}

/** Whether a venue needs the trader's attention (an error while not connected, or a clock off by > 1 s). */
export function venueTrouble(v: VenueView): boolean {
  return (v.lastError !== null && v.state !== "connected") || clockNote(v) !== null;
}
