/**
 * Venues from core (`market.venues.watch`): every venue and variant with its on/off switch and
 * health, kept current for the status bar and Settings. Switching one goes through
 * `market.venues.set`, which connects or closes it at once and saves the choice.
 */
import { create } from "zustand";
import type { VenueView } from "../../../common/api/market.ts";
import { api } from "./connection.ts";

interface VenuesStore {
  venues: VenueView[];
  error: string | null;
  setEnabled(v: VenueView, enabled: boolean): Promise<void>;
}

/** The venues store. */
export const useVenues = create<VenuesStore>((set) => ({
  venues: [],
  error: null,
  setEnabled: async (v, enabled) => {
    if (v.venue === "simulated" && v.variant !== null) return;
    try {
      set({ venues: await api.call("market.venues.set", { venue: v.venue, variant: v.variant, enabled }), error: null });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));

api.subscribe("market.venues.watch", { intervalMs: 1000 }, { onEvent: (venues) => useVenues.setState({ venues }) });
