/** Renders the open overlay, if any. */
import { ImportDialog } from "../import/ImportDialog.tsx";
import { RunsDialog } from "../results/RunsDialog.tsx";
import { SearchDialog } from "../search/SearchDialog.tsx";
import { SettingsDialog } from "../settings/SettingsDialog.tsx";
import { SHORTCUTS } from "../lib/shortcuts.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { Modal } from "./Modal.tsx";

function ShortcutsDialog(): React.JSX.Element {
  return (
    <Modal title="Keyboard shortcuts" testId="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}><td><kbd>{keys}</kbd></td><td>{what}</td></tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

/** The dialog host. */
export function Dialogs(): React.JSX.Element | null {
  const open = useDialogs((s) => s.open);
  if (open === "search") return <SearchDialog />;
  if (open === "settings") return <SettingsDialog />;
  if (open === "shortcuts") return <ShortcutsDialog />;
  if (open === "import") return <ImportDialog />;
  if (open === "runs") return <RunsDialog />;
  return null;
}
