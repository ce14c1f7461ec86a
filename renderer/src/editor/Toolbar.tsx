/**
 * The editor's toolbar: open a saved strategy, start from a template, save, rename, duplicate,
 * diff and delete. Opening or a template replaces the draft, so when the draft holds unsaved work
 * it asks first (save / discard / cancel). Names are asked for in an in-app dialog; Duplicate
 * saves the draft, unsaved edits included, under the new name. Saving a draft that is not a saved
 * strategy yet (Save or Ctrl+S) asks for its name first.
 */
import { useEffect, useState } from "react";
import { TEMPLATES } from "../../../common/strategy/templates.ts";
import { onAction } from "../lib/shortcuts.ts";
import { useStrategies } from "../stores/strategies.ts";
import { copyName, draftChanged, nameProblem } from "./draft.ts";
import { NameDialog } from "./NameDialog.tsx";
import { UnsavedDialog } from "./UnsavedDialog.tsx";

type Pending = { kind: "rename" } | { kind: "duplicate" } | { kind: "saveAs" } | { kind: "unsaved"; next: string; proceed(): void } | null;

/** Resolves to the store's error after a failed operation, null after a successful one. */
async function outcome(op: Promise<boolean>): Promise<string | null> {
  return (await op) ? null : (useStrategies.getState().error ?? "core refused it");
}

function ToolbarDialog({ pending, done }: { pending: Exclude<Pending, null>; done(): void }): React.JSX.Element {
  const { list, current, name } = useStrategies();
  const s = useStrategies.getState();
  const finish = async (op: Promise<boolean>): Promise<string | null> => {
    const err = await outcome(op);
    if (err === null) done();
    return err;
  };
  if (pending.kind === "rename") {
    return <NameDialog title="Rename strategy" action="Rename" initial={name} problem={(n) => nameProblem(n, list, current?.id ?? null)} onConfirm={(n) => finish(s.rename(n))} onCancel={done} />;
  }
  if (pending.kind === "saveAs") {
    const save = async (n: string): Promise<string | null> => {
      await s.rename(n);
      return finish(s.save());
    };
    return <NameDialog title="Save as" action="Save" initial={copyName(name, list)} problem={(n) => nameProblem(n, list, null)} onConfirm={save} onCancel={done} />;
  }
  if (pending.kind === "duplicate") {
    return <NameDialog title="Duplicate as" action="Duplicate" initial={copyName(name, list)} problem={(n) => nameProblem(n, list, null)} onConfirm={(n) => finish(s.duplicate(n))} onCancel={done} />;
  }
  const proceed = (): void => {
    done();
    pending.proceed();
  };
  const save = async (): Promise<string | null> => {
    const err = await outcome(s.save());
    if (err === null) proceed();
    return err;
  };
  return <UnsavedDialog name={name} next={pending.next} onSave={save} onDiscard={proceed} onCancel={done} />;
}

/** The toolbar; `onDiff` opens the diff dialog. */
export function Toolbar({ onDiff }: { onDiff(): void }): React.JSX.Element {
  const { list, current, name, draft, typeErrors } = useStrategies();
  const s = useStrategies.getState();
  const [pending, setPending] = useState<Pending>(null);
  const dirty = !current || current.source !== draft;
  const guarded = (next: string, proceed: () => void): void => {
    const st = useStrategies.getState();
    if (draftChanged(st.draft, st.current, TEMPLATES)) setPending({ kind: "unsaved", next, proceed });
    else proceed();
  };
  // A draft not saved yet (a template, an edited template) asks for its name first: it never saves over one.
  const saveOrAsk = (): void => {
    if (useStrategies.getState().current === null) setPending({ kind: "saveAs" });
    else void useStrategies.getState().save();
  };
  useEffect(() => onAction("save", saveOrAsk), []);
  const openId = (id: number): void => guarded(`open "${list.find((x) => x.id === id)?.name ?? id}"`, () => void s.open(id));
  const template = (id: string): void => guarded(`start from the template "${TEMPLATES.find((t) => t.id === id)?.name ?? id}"`, () => s.fromTemplate(id));
  return (
    <div className="editor-toolbar">
      <select aria-label="Open strategy" data-testid="strategy-select" value={current ? String(current.id) : ""} onChange={(e) => e.target.value && openId(Number(e.target.value))}>
        <option value="">{current ? "—" : `${name} (unsaved)`}</option>
        {list.map((x) => <option key={x.id} value={x.id}>{x.name} · v{x.latestVersion}</option>)}
      </select>
      <select aria-label="New from template" data-testid="template-select" value="" onChange={(e) => e.target.value && template(e.target.value)}>
        <option value="">New from template…</option>
        {TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
      </select>
      <button type="button" data-testid="strategy-save" onClick={saveOrAsk} title="Save a new version (Ctrl+S)">{dirty ? "Save*" : "Saved"}</button>
      <button type="button" data-testid="strategy-rename" onClick={() => setPending({ kind: "rename" })}>Rename</button>
      <button type="button" data-testid="strategy-duplicate" disabled={!current} title="Save the draft, unsaved edits included, as a new strategy" onClick={() => setPending({ kind: "duplicate" })}>Duplicate</button>
      <button type="button" disabled={!current || current.latestVersion < 1} onClick={onDiff}>Diff</button>
      {current?.versions.some((v) => v.fork) ? (
        <button type="button" className="warn" data-testid="strategy-fork" title="Two devices edited the same version; both are kept. Compare them and save the one to keep." onClick={onDiff}>
          Fork: v{current.versions.filter((v) => v.fork).map((v) => v.version).join(", v")}
        </button>
      ) : null}
      <button type="button" disabled={!current} onClick={() => window.confirm(`Delete ${name} and all its versions?`) && void s.remove()}>Delete</button>
      <span className={typeErrors > 0 ? "type-errors down" : "type-errors muted"} data-testid="editor-errors" data-count={typeErrors}>
        {typeErrors > 0 ? `${typeErrors} type error${typeErrors > 1 ? "s" : ""}` : "no type errors"}
      </span>
      {pending ? <ToolbarDialog pending={pending} done={() => setPending(null)} /> : null}
    </div>
  );
}
