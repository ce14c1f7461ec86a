/**
 * `workstation trading failed-orders [cancel|leave]` (what happens to a failed strategy's open
 * orders) and `workstation trading reset --account paper:VENUE --yes` (a paper account back to its
 * starting balances). Through the running core when there is one, on the app database otherwise.
 */
import type { AccountView, FailedOrdersPolicy } from "../../common/api/trading.ts";
import { escapeControls } from "../../common/text/escape.ts";
import { failedOrdersPolicy } from "../trading/failed-orders.ts";
import { UsageError, type CliIo, type ParsedArgs } from "./command.ts";
import { withCore } from "./core-client.ts";
import { withStoredEngine } from "./trading-core.ts";

/** `trading failed-orders [cancel|leave]`: prints (and sets) the setting. */
export async function failedOrdersAction(args: ParsedArgs, io: CliIo): Promise<number> {
  const given = args.positionals[1];
  if (args.positionals.length > 2 || (given !== undefined && given !== "cancel" && given !== "leave")) {
    throw new UsageError("usage: workstation trading failed-orders [cancel|leave]");
  }
  const policy = given as FailedOrdersPolicy | undefined;
  const live = await withCore(args.dataDir, (c) => c.call("trading.failedOrders", policy === undefined ? {} : { policy }));
  const now = live ? live.value.policy : withStoredEngine(args.dataDir, (_engine, store) => failedOrdersPolicy(store, policy));
  io.out(args.values.json === true ? JSON.stringify({ policy: now }) : `failed strategy orders: ${now}`);
  return 0;
}

/** Resets a paper account without a core; refused while a stored session runs on it (it would resume on the old fills). */
function offlineReset(dataDir: string, account: string): AccountView {
  return withStoredEngine(dataDir, (engine, store) => {
    if (!engine.allAccounts().some((a) => a.id === account)) throw new Error(`no paper account ${account}`);
    const running = store.load().sessions.find((s) => s.status === "running" && `paper:${(s.body as { venue?: string }).venue}` === account);
    if (running) throw new Error(`session ${running.id} is stored as running on ${account}: start core and stop it before resetting the account`);
    const a = engine.resetAccount(account, Date.now());
    return { id: a.id, venue: a.venue, balances: Object.fromEntries(a.balances) };
  });
}

/** `trading reset --account paper:VENUE --yes`. */
export async function resetAction(args: ParsedArgs, io: CliIo): Promise<number> {
  const account = args.values.account;
  if (args.positionals.length > 1 || typeof account !== "string" || account === "") throw new UsageError("usage: workstation trading reset --account paper:VENUE --yes");
  if (args.values.yes !== true) throw new UsageError(`resetting ${account} cancels its open orders and sets its balances back to the starting ones; add --yes to confirm`);
  const live = await withCore(args.dataDir, (c) => c.call("trading.reset", { account, confirm: true }));
  const view = live ? live.value : offlineReset(args.dataDir, account);
  if (args.values.json === true) io.out(JSON.stringify(view));
  else io.out(escapeControls(`${view.id} reset: ${Object.entries(view.balances).map(([asset, amount]) => `${asset} ${amount}`).join(", ")}`));
  return 0;
}
