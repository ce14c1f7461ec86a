/**
 * Settings: data directory, venues on/off with their symbols, API keys, the cloud account, theme,
 * display time zone (UTC by default), the alert beep, the backtest form's defaults and Compute (local
 * pool or a scale-out queue). A switch is saved to core at once, a
 * field when it loses the focus or the dialog closes (`field-commit.ts`).
 */
import { useState } from "react";
import type { VenueView } from "../../../common/api/market.ts";
import { Modal } from "../app/Modal.tsx";
import { isValidTimeZone } from "../lib/time.ts";
import { useSettings } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { useVenues } from "../stores/venues.ts";
import { Account } from "./Account.tsx";
import { ApiKeys } from "./ApiKeys.tsx";
import { ComputeSettings } from "./ComputeSettings.tsx";
import { RecordingSettings } from "./RecordingSettings.tsx";
import { useFieldCommit } from "./field-commit.ts";

const ZONES = ["UTC", "America/New_York", "America/Chicago", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney"];

function VenueSymbols({ id, symbols, onSave }: { id: string; symbols: string[]; onSave(symbols: string[]): void }): React.JSX.Element {
  const initial = symbols.join(", ");
  const field = useFieldCommit(initial, (text) => onSave(text.split(",").map((s) => s.trim()).filter(Boolean)));
  return <input aria-label={`${id} symbols`} placeholder="symbols offered first" defaultValue={initial} {...field} />;
}

/** Every venue and variant core knows: a live on/off switch, where its URLs come from, its state and symbols. */
function Venues(): React.JSX.Element {
  const { venues, setEnabled, error } = useVenues();
  const update = useSettings((s) => s.update);
  const saved = useSettings((s) => s.settings.venues);
  const saveSymbols = (v: VenueView, symbols: string[]): void => {
    const current = useSettings.getState().settings.venues;
    const next = current.some((s) => s.id === v.feed) ? current.map((s) => (s.id === v.feed ? { ...s, symbols } : s)) : [...current, { id: v.feed, enabled: v.enabled, symbols }];
    void update({ venues: next });
  };
  return (
    <>
      {error ? <p className="error">{error}</p> : null}
      <table className="venues" data-testid="venues-table">
        <tbody>
          {venues.map((v) => (
            <tr key={v.feed} data-testid={`venue-row-${v.feed}`}>
              <td>
                <label>
                  <input type="checkbox" data-testid={`venue-toggle-${v.feed}`} checked={v.enabled} onChange={(e) => void setEnabled(v, e.target.checked)} /> {v.name}
                </label>
              </td>
              <td className="muted" title={v.ws ?? undefined}>{v.source}</td>
              <td className="muted" data-testid={`venue-state-${v.feed}`}>{v.state}{v.lastError && v.state !== "connected" ? ` — ${v.lastError}` : ""}</td>
              <td><VenueSymbols id={v.feed} symbols={saved.find((s) => s.id === v.feed)?.symbols ?? []} onSave={(symbols) => saveSymbols(v, symbols)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NumberSetting({ label, value, step, onSave }: { label: string; value: number; step: number; onSave(v: number): void }): React.JSX.Element {
  const field = useFieldCommit(String(value), (text) => {
    const v = Number(text);
    if (text.trim() !== "" && Number.isFinite(v) && v >= 0) onSave(v);
  });
  return (
    <label className="field">
      {label}
      <input type="number" step={step} min={0} defaultValue={value} {...field} />
    </label>
  );
}

/** The settings dialog. */
export function SettingsDialog(): React.JSX.Element {
  const { settings, update, error } = useSettings();
  const keyVenues = [...new Set(useVenues((s) => s.venues).flatMap((v) => (v.venue === "simulated" ? [] : [v.venue])))];
  const { theme, toggle } = useTheme();
  const [zone, setZone] = useState(settings.timeZone);
  const zoneOk = isValidTimeZone(zone);
  const zoneField = useFieldCommit(settings.timeZone, (text) => isValidTimeZone(text) && void update({ timeZone: text }));
  return (
    <Modal title="Settings" testId="settings-dialog" wide>
      {error ? <p className="error">{error}</p> : null}
      <section>
        <h3>Data directory</h3>
        <code data-testid="data-dir">{settings.dataDir || "—"}</code>
      </section>
      <section>
        <h3>Display</h3>
        <label className="field">Theme <button type="button" onClick={toggle}>{theme === "dark" ? "Dark — switch to light" : "Light — switch to dark"}</button></label>
        <label className="field">
          Time zone
          <input list="tz-list" data-testid="tz-input" defaultValue={settings.timeZone} onChange={(e) => setZone(e.target.value)} {...zoneField} />
          <datalist id="tz-list">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
          {zoneOk ? null : <span className="error">unknown time zone</span>}
        </label>
        <label className="field">
          <input type="checkbox" data-testid="alert-sound" checked={settings.alertSound} onChange={(e) => void update({ alertSound: e.target.checked })} /> Beep when an alert fires
        </label>
      </section>
      <section>
        <h3>Backtest defaults</h3>
        <NumberSetting label="Cash" value={settings.backtest.cash} step={1000} onSave={(cash) => void update({ backtest: { cash } })} />
        <NumberSetting label="Commission (fraction)" value={settings.backtest.commission} step={0.0005} onSave={(commission) => void update({ backtest: { commission } })} />
        <NumberSetting label="Slippage (bps)" value={settings.backtest.slippageBps} step={1} onSave={(slippageBps) => void update({ backtest: { slippageBps } })} />
      </section>
      <section>
        <h3>Venues</h3>
        <p className="hint">A switch connects or closes the venue at once. Public endpoints are built in; feeds.json or WORKSTATION_FEEDS may override them.</p>
        <Venues />
      </section>
      <RecordingSettings />
      <ComputeSettings />
      <section>
        <h3>API keys</h3>
        <ApiKeys venues={keyVenues} />
      </section>
      <section>
        <h3>Cloud account and sync</h3>
        <Account />
      </section>
    </Modal>
  );
}
