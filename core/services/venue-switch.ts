/**
 * A venue switched on or off in the trader's settings (`ui.settings` → `venues`, keyed by feed id):
 * shared by the `market.venues.set` API and `workstation venues enable|disable` when no core runs.
 */
import type { VenueSetting } from "../../common/api/ui.ts";
import { feedIdOf, VENUE_DEFINITIONS, type VenueVariant } from "../venues/definitions.ts";
import { isVenueId } from "../venues/index.ts";
import type { UiState } from "./ui-state.ts";

/** The feed id of `venue` (a venue id or "simulated") and `variant`; throws a one-line Error when there is none. */
export function switchId(venue: string, variant: string | null): string {
  if (venue === "simulated") {
    if (variant !== null) throw new Error(`the simulated venue has no variant "${variant}"`);
    return venue;
  }
  if (!isVenueId(venue)) throw new Error(`unknown venue "${venue}" (known: ${Object.keys(VENUE_DEFINITIONS).join(", ")}, simulated)`);
  const variants = Object.keys(VENUE_DEFINITIONS[venue].variants);
  if (variant !== null && !variants.includes(variant)) throw new Error(`${venue} has no variant "${variant}" (${variants.length > 0 ? `it has ${variants.join(", ")}` : "it has none"})`);
  return feedIdOf(venue, variant as VenueVariant | null);
}

/** `venues` with the switch of `id` set to `enabled` (added when missing; its symbols kept). */
export function withSwitch(venues: readonly VenueSetting[], id: string, enabled: boolean): VenueSetting[] {
  const found = venues.some((v) => v.id === id);
  return found ? venues.map((v) => (v.id === id ? { ...v, enabled } : v)) : [...venues, { id, enabled, symbols: [] }];
}

/** Saves the switch of `id` in the settings; listeners (core's feed manager) hear the change. */
export function saveSwitch(state: UiState, id: string, enabled: boolean): void {
  state.updateSettings({ venues: withSwitch(state.settings().venues, id, enabled) });
}
