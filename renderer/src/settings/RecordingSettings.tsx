/**
 * The recording part of the settings: whether the live venue feeds a chart or watchlist shows are
 * recorded into the store (on by default; the simulated feed is never recorded), and the disk cap
 * in GB above which recording stops with an alarm (`store.settings.set`).
 */
import { useEffect, useState } from "react";
import type { StoreSettings } from "../../../common/api/store.ts";
import { api } from "../stores/connection.ts";
import { useFieldCommit } from "./field-commit.ts";

const GB = 1_000_000_000;

function CapField({ bytes, onSave }: { bytes: number | null; onSave(bytes: number | null): void }): React.JSX.Element {
  const initial = bytes === null ? "" : String(bytes / GB);
  const field = useFieldCommit(initial, (text) => {
    const gb = Number(text);
    if (text.trim() === "") onSave(null);
    else if (Number.isFinite(gb) && gb >= 0.001) onSave(Math.round(gb * GB));
  });
  return (
    <label className="field">
      Disk cap (GB, empty = none)
      <input type="number" min={0.001} step={1} defaultValue={initial} data-testid="recording-cap" {...field} />
    </label>
  );
}

/** Record switch and disk cap. */
export function RecordingSettings(): React.JSX.Element {
  const [settings, setSettings] = useState<StoreSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call("store.status", {}).then((s) => setSettings(s.settings), (err: Error) => setError(err.message));
  }, []);
  const save = (patch: Partial<StoreSettings>): void => {
    api.call("store.settings.set", patch).then(setSettings, (err: Error) => setError(err.message));
  };
  return (
    <section>
      <h3>Recording</h3>
      {error ? <p className="error">{error}</p> : null}
      {settings ? (
        <>
          <label className="field">
            <input type="checkbox" data-testid="record-feeds" checked={settings.recordFeeds} onChange={(e) => save({ recordFeeds: e.target.checked })} /> Record the live
            markets shown in charts and the watchlist (for backtests)
          </label>
          <CapField bytes={settings.maxRecordingBytes} onSave={(maxRecordingBytes) => save({ maxRecordingBytes })} />
        </>
      ) : null}
    </section>
  );
}
