/**
 * The cloud account section of Settings: sign up or log in (the password goes to core, which
 * derives the keys; it is never stored), the recovery key shown once after sign-up, background
 * sync on/off, sync now (asking for the password when there is no OS keychain), the last sync and
 * its conflicts, the signed-in devices (revocable) and log out. Every call runs in core; the UI
 * only waits for its answer.
 */
import { useCallback, useEffect, useState } from "react";
import type { CloudDeviceView, CloudStatus } from "../../../common/api/cloud.ts";
import { formatDateTime } from "../lib/time.ts";
import { api } from "../stores/connection.ts";
import { useTimeZone } from "../stores/settings.ts";

type Status = CloudStatus & { syncing?: boolean; lastError?: string | null };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function SignIn({ onDone }: { onDone(status: Status, recoveryKey: string | null): void }): React.JSX.Element {
  const [server, setServer] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (kind: "signup" | "login"): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      if (kind === "signup") {
        const res = await api.call("cloud.signup", { server, email, password });
        onDone(res.status, res.recoveryKey);
      } else onDone(await api.call("cloud.login", { server, email, password }), null);
      setPassword("");
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="key-form" data-testid="account-signin" onSubmit={(e) => e.preventDefault()} autoComplete="off">
      <input aria-label="Sync server" placeholder="https://sync.example.org" value={server} onChange={(e) => setServer(e.target.value)} />
      <input aria-label="Email" placeholder="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input aria-label="Password" placeholder="password (12+ characters)" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="button" disabled={busy || !server || !email || !password} onClick={() => void run("login")}>Log in</button>
      <button type="button" disabled={busy || !server || !email || !password} onClick={() => void run("signup")}>Sign up</button>
      {error ? <p className="error">{error}</p> : null}
    </form>
  );
}

function RecoveryKey({ value, onDismiss }: { value: string; onDismiss(): void }): React.JSX.Element {
  return (
    <div data-testid="recovery-key">
      <p className="warn">Write down this recovery key now. It is shown only once and is the only way back to your synced data after a forgotten password.</p>
      <code>{value}</code> <button type="button" onClick={onDismiss}>I wrote it down</button>
    </div>
  );
}

function Devices({ devices, onRevoke }: { devices: CloudDeviceView[]; onRevoke(id: string): void }): React.JSX.Element {
  const timeZone = useTimeZone();
  return (
    <table className="venues" data-testid="account-devices">
      <tbody>
        {devices.map((d) => (
          <tr key={d.id}>
            <td>{d.name}{d.current ? " (this device)" : ""}</td>
            <td className="muted">last seen {formatDateTime(d.lastSeenAt, timeZone, false)}</td>
            <td>{d.current ? null : <button type="button" onClick={() => onRevoke(d.id)}>Revoke</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SignedIn({ status, refresh }: { status: Status; refresh(next?: Status): void }): React.JSX.Element {
  const timeZone = useTimeZone();
  const [password, setPassword] = useState("");
  const [devices, setDevices] = useState<CloudDeviceView[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attempt = (work: () => Promise<void>): void => {
    setError(null);
    work().catch((err: unknown) => setError(message(err)));
  };
  const syncNow = (): void =>
    attempt(async () => {
      const r = await api.call("cloud.sync", status.keychain || !password ? {} : { password });
      setNote(`pushed ${r.pushed}, pulled ${r.pulled}, conflicts ${r.conflicts}`);
      refresh();
    });
  return (
    <div data-testid="account-signed-in">
      <p>Signed in as <strong>{status.email}</strong> on <code>{status.server}</code></p>
      {status.keychain ? null : <p className="warn">No OS keychain: the data key is not kept on this device, so sync asks for the password and cannot run in the background.</p>}
      <label className="field">
        <input type="checkbox" data-testid="account-sync-toggle" checked={status.syncEnabled} onChange={(e) => attempt(async () => refresh(await api.call("cloud.setSyncEnabled", { enabled: e.target.checked })))} /> Sync in the background
      </label>
      <div className="key-form">
        {status.keychain ? null : <input aria-label="Password for sync" type="password" placeholder="password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        <button type="button" data-testid="account-sync-now" disabled={status.syncing === true} onClick={syncNow}>Sync now</button>
        <button type="button" onClick={() => attempt(async () => setDevices(await api.call("cloud.devices", {})))}>Devices</button>
        <button type="button" onClick={() => attempt(async () => refresh(await api.call("cloud.logout", {})))}>Log out</button>
      </div>
      <p className="muted" data-testid="account-last-sync">
        Last sync: {status.lastSyncAt ? formatDateTime(status.lastSyncAt, timeZone, false) : "never"}; conflicts resolved: {status.lastConflicts}
        {note ? ` — ${note}` : ""}
      </p>
      {status.lastError ? <p className="error">Last sync failed: {status.lastError}</p> : null}
      {devices ? <Devices devices={devices} onRevoke={(id) => attempt(async () => setDevices(await api.call("cloud.revokeDevice", { id })))} /> : null}
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}

/** The account section. */
export function Account(): React.JSX.Element {
  const [status, setStatus] = useState<Status | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback((next?: Status) => {
    if (next) setStatus(next);
    api.call("cloud.status", {}).then(setStatus, (err: unknown) => setError(message(err)));
  }, []);
  useEffect(() => refresh(), [refresh]);
  if (error) return <p className="error">{error}</p>;
  if (!status) return <p className="muted">Loading the account…</p>;
  return (
    <div data-testid="account">
      {recoveryKey ? <RecoveryKey value={recoveryKey} onDismiss={() => setRecoveryKey(null)} /> : null}
      {status.loggedIn ? (
        <SignedIn status={status} refresh={refresh} />
      ) : (
        <SignIn
          onDone={(s, key) => {
            setRecoveryKey(key);
            refresh(s);
          }}
        />
      )}
      <p className="hint">Strategies (every version), settings and watchlists sync end-to-end encrypted; the server cannot read them. Market data stays local.</p>
    </div>
  );
}
