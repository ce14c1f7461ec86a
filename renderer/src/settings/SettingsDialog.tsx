/**
 * Settings: data directory, venues on/off with their symbols, API keys, theme, display time
 * zone (UTC by default) and the backtest form's defaults. A switch is saved to core at once, a
 * field when it loses the focus or the dialog closes (`field-commit.ts`).
 */
import { useState } from "react";
import type { VenueSetting } from "../../../common/api/ui.ts";
import { Modal } from "../app/Modal.tsx";
import { isValidTimeZone } from "../lib/time.ts";
import { useSettings } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { ApiKeys } from "./ApiKeys.tsx";
import { RecordingSettings } from "./RecordingSettings.tsx";
import { useFieldCommit } from "./field-commit.ts";

const ZONES = ["UTC", "America/New_York", "America/Chicago", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney"];

function VenueSymbols({ venue, onSave }: { venue: VenueSetting; onSave(symbols: string[]): void }): React.JSX.Element {
  const initial = venue.symbols.join(", ");
  const field = useFieldCommit(initial, (text) => onSave(text.split(",").map((s) => s.trim()).filter(Boolean)));
  return <input aria-label={`${venue.id} symbols`} defaultValue={initial} {...field} />;
}

function Venues({ venues }: { venues: VenueSetting[] }): React.JSX.Element {
  const update = useSettings((s) => s.update);
  const change = (id: string, patch: Partial<VenueSetting>): void =>
    void update({ venues: useSettings.getState().settings.venues.map((v) => (v.id === id ? { ...v, ...patch } : v)) });
  return (
    <table className="venues">
      <tbody>
        {venues.map((v) => (
          <tr key={v.id}>
            <td><label><input type="checkbox" checked={v.enabled} onChange={(e) => change(v.id, { enabled: e.target.checked })} /> {v.id}</label></td>
            <td><VenueSymbols venue={v} onSave={(symbols) => change(v.id, { symbols })} /></td>
          </tr>
        ))}
      </tbody>
    </table>
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
      </section>
      <section>
        <h3>Backtest defaults</h3>
        <NumberSetting label="Cash" value={settings.backtest.cash} step={1000} onSave={(cash) => void update({ backtest: { cash } })} />
        <NumberSetting label="Commission (fraction)" value={settings.backtest.commission} step={0.0005} onSave={(commission) => void update({ backtest: { commission } })} />
        <NumberSetting label="Slippage (bps)" value={settings.backtest.slippageBps} step={1} onSave={(slippageBps) => void update({ backtest: { slippageBps } })} />
      </section>
      <section>
        <h3>Venues</h3>
        <p className="hint">Switches and symbols apply to venues configured in feeds.json, from the next start of core.</p>
        <Venues venues={settings.venues} />
      </section>
      <RecordingSettings />
      <section>
        <h3>API keys</h3>
        <ApiKeys venues={settings.venues.filter((v) => v.id !== "simulated").map((v) => v.id)} />
      </section>
    </Modal>
  );
}
