/**
 * API keys per venue. Keys go to core, which keeps them in the OS keychain; after saving only
 * a hint (last 4 characters) is ever shown. Where no keychain is available the section says why.
 */
import { useCallback, useEffect, useState } from "react";
import type { SecretsView } from "../../../common/api/ui.ts";
import { formatDateTime } from "../lib/time.ts";
import { api } from "../stores/connection.ts";
import { useTimeZone } from "../stores/settings.ts";

function KeyForm({ venue, onSaved }: { venue: string; onSaved(): void }): React.JSX.Element {
  const [apiKey, setKey] = useState("");
  const [apiSecret, setSecret] = useState("");
  const [passphrase, setPass] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      await api.call("ui.secrets.set", { venue, apiKey, apiSecret, ...(passphrase ? { passphrase } : {}) });
      setKey("");
      setSecret("");
      setPass("");
      setError(null);
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="key-form" onSubmit={(e) => void save(e)} autoComplete="off">
      <input aria-label={`${venue} API key`} placeholder="API key" value={apiKey} onChange={(e) => setKey(e.target.value)} />
      <input aria-label={`${venue} API secret`} placeholder="API secret" type="password" value={apiSecret} onChange={(e) => setSecret(e.target.value)} />
      {venue === "coinbase" ? <input aria-label="Passphrase" placeholder="Passphrase (optional)" type="password" value={passphrase} onChange={(e) => setPass(e.target.value)} /> : null}
      <button type="submit" disabled={!apiKey || !apiSecret}>Save</button>
      {error ? <p className="error">{error}</p> : null}
    </form>
  );
}

/** A saved key's row: its hint and save time, and Delete, which asks once more and says why it failed. */
function SavedKey({ venue, hint, savedAt, onDeleted }: { venue: string; hint: string; savedAt: number; onDeleted(): void }): React.JSX.Element {
  const timeZone = useTimeZone();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = (): void => {
    api.call("ui.secrets.delete", { venue }).then(onDeleted, (err: unknown) => {
      setConfirming(false);
      setError(err instanceof Error ? err.message : String(err));
    });
  };
  return (
    <span>
      Key {hint} saved {formatDateTime(savedAt, timeZone, false)}{" "}
      {confirming ? (
        <>
          <button type="button" data-testid={`delete-key-confirm-${venue}`} onClick={remove}>Delete the {venue} key</button>
          <button type="button" onClick={() => setConfirming(false)}>Keep it</button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>Delete</button>
      )}
      {error ? <span className="error"> Not deleted: {error}</span> : null}
    </span>
  );
}

/** The API keys section. */
export function ApiKeys({ venues }: { venues: string[] }): React.JSX.Element {
  const [view, setView] = useState<SecretsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    api.call("ui.secrets.list", {}).then(setView, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);
  useEffect(refresh, [refresh]);
  if (error) return <p className="error">{error}</p>;
  if (!view) return <p className="muted">Checking the OS keychain…</p>;
  if (!view.available) return <p className="warn" data-testid="keychain-unavailable">{view.reason}</p>;
  return (
    <div className="api-keys" data-testid="api-keys">
      {venues.map((venue) => {
        const saved = view.keys.find((k) => k.venue === venue);
        return (
          <div key={venue} className="api-key-row">
            <strong>{venue}</strong>
            {saved ? (
              <SavedKey venue={venue} hint={saved.keyHint} savedAt={saved.savedAt} onDeleted={refresh} />
            ) : (
              <KeyForm venue={venue} onSaved={refresh} />
            )}
          </div>
        );
      })}
      <p className="hint">Keys are stored in the OS keychain by core and are never shown again.</p>
    </div>
  );
}
