/** Shown while core is unreachable, or when a different core replaced it on the same port. */
import { useConnection } from "../stores/connection.ts";

/** The reconnect banner. */
export function ReconnectBanner(): React.JSX.Element | null {
  const { state, replaced } = useConnection();
  if (replaced) {
    return (
      <div className="banner banner-error" role="alert" data-testid="replaced-banner">
        A new workstation core is running. Open the URL it printed (<code>workstation serve</code>) to continue.
      </div>
    );
  }
  if (state !== "reconnecting") return null;
  return (
    <div className="banner" role="alert" data-testid="reconnect-banner">
      Lost connection to core — reconnecting… Nothing you entered is lost.
    </div>
  );
}
