/**
 * Settings: data directory, venues on/off with their symbols, API keys, theme, display time
 * zone (UTC by default) and the backtest form's defaults. Every change is saved to core at once.
 */
import { useState } from "react";
import type { VenueSetting } from "../../../common/api/ui.ts";
import { Modal } from "../app/Modal.tsx";
import { isValidTimeZone } from "../lib/time.ts";
import { useSettings } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { ApiKeys } from "./ApiKeys.tsx";

const ZONES = ["UTC", "America/New_York", "America/Chicago", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney"];

function Venues({ venues }: { venues: VenueSetting[] }): React.JSX.Element {
  const update = useSettings((s) => s.update);
  const change = (id: string, patch: Partial<VenueSetting>): void =>
    void update({ venues: venues.map((v) => (v.id === id ? { ...v, ...patch } : v)) });
  return (
    <table className="venues">
      <tbody>
        {venues.map((v) => (
          <tr key={v.id}>
            <td><label><input type="checkbox" checked={v.enabled} onChange={(e) => change(v.id, { enabled: e.target.checked })} /> {v.id}</label></td>
            <td>
              <input
                aria-label={`${v.id} symbols`}
                defaultValue={v.symbols.join(", ")}
                onBlur={(e) => change(v.id, { symbols: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NumberSetting({ label, value, step, onSave }: { label: string; value: number; step: number; onSave(v: number): void }): React.JSX.Element {
  return (
    <label className="field">
      {label}
      <input type="number" step={step} min={0} defaultValue={value} onBlur={(e) => Number.isFinite(e.target.valueAsNumber) && onSave(e.target.valueAsNumber)} />
    </label>
  );
}

/** The settings dialog. */
export function SettingsDialog(): React.JSX.Element {
  const { settings, update, error } = useSettings();
  const { theme, toggle } = useTheme();
  const [zone, setZone] = useState(settings.timeZone);
  const zoneOk = isValidTimeZone(zone);
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
          <input list="tz-list" data-testid="tz-input" value={zone} onChange={(e) => setZone(e.target.value)} onBlur={() => zoneOk && zone !== settings.timeZone && void update({ timeZone: zone })} />
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
      <section>
        <h3>API keys</h3>
        <ApiKeys venues={settings.venues.filter((v) => v.id !== "simulated").map((v) => v.id)} />
      </section>
    </Modal>
  );
}
