/** The status bar: each enabled venue's state, last message age, reconnects and errors, in trader words. */
import { useVenues } from "../stores/venues.ts";
import { venueSummary, venueTrouble } from "./describe.ts";

/** The venue status bar at the bottom of the window. */
export function VenueStatusBar(): React.JSX.Element {
  const venues = useVenues((s) => s.venues).filter((v) => v.enabled);
  return (
    <footer className="statusbar" data-testid="venue-status" role="status">
      {venues.length === 0 ? <span className="muted">No venue enabled — Settings → Venues</span> : null}
      {venues.map((v) => (
        <span key={v.feed} className={`venue-state venue-${v.state}${venueTrouble(v) ? " venue-trouble" : ""}`} data-testid={`venue-status-${v.feed}`} title={venueSummary(v)}>
          <span className="dot" />
          {venueSummary(v)}
        </span>
      ))}
    </footer>
  );
}
