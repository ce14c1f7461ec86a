/**
 * Resetting a paper account from the Trading panel: one button per account, and a dialog that says
 * what the reset does and asks before core resets it (`trading.reset` with `confirm: true`).
 */
import { useState } from "react";
import type { AccountView } from "../../../common/api/trading.ts";
import { Modal } from "../app/Modal.tsx";
import { useEscape } from "../editor/escape.ts";
import { useTrading } from "../stores/trading.ts";

function ConfirmReset({ account, onDone }: { account: AccountView; onDone: () => void }): React.JSX.Element {
  const reset = useTrading((s) => s.reset);
  useEscape(onDone);
  return (
    <Modal title={`Reset ${account.id}?`} testId="reset-account-dialog" onClose={onDone}>
      <p>This cancels the account&rsquo;s open orders and puts its balances back to the starting ones; its positions and P&amp;L start again from zero. Past fills stay listed.</p>
      <div className="field">
        <button type="button" className="danger" data-testid="reset-account-confirm" onClick={() => void reset(account.id).then(onDone)}>Reset</button>
        <button type="button" data-testid="reset-account-cancel" onClick={onDone}>Cancel</button>
      </div>
    </Modal>
  );
}

/** A Reset button per paper account, each asking first. */
export function ResetAccounts(): React.JSX.Element | null {
  const accounts = useTrading((s) => s.accounts);
  const [asking, setAsking] = useState<AccountView | null>(null);
  if (accounts.length === 0) return null;
  return (
    <div className="field" data-testid="reset-accounts">
      {accounts.map((a) => (
        <button key={a.id} type="button" title={`Reset ${a.id} to its starting balances`} onClick={() => setAsking(a)}>
          Reset {a.id}
        </button>
      ))}
      {asking ? <ConfirmReset account={asking} onDone={() => setAsking(null)} /> : null}
    </div>
  );
}
