/**
 * `workstation account signup|login|recover --server URL --email E`, `account logout|status|devices`,
 * `account revoke DEVICE`, `account password` and `account delete`: the cloud account of this data
 * directory. Passwords come from WORKSTATION_PASSWORD (WORKSTATION_NEW_PASSWORD for a change) or a
 * terminal prompt, never from an argument. `signup` prints the recovery key on stdout, once.
 * signup, login, status, logout, devices and revoke go through the running core when there is one.
 */
import type { CloudStatus } from "../../common/api/cloud.ts";
import type { ApiClient } from "../../common/api/client.ts";
import { ApiError } from "../../common/api/index.ts";
import type { DeviceInfo } from "../../common/cloud/protocol.ts";
import { accountStatus } from "../cloud/local-account.ts";
import { CloudSession, login, recover, signup, type CloudDeps } from "../cloud/session.ts";
import { openAppDb, type AppDb } from "../store/app-db.ts";
import { requiredString } from "../store/access.ts";
import { UsageError, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { connectToRunningCore } from "./core-client.ts";
import { passwordSource } from "./password-input.ts";

/** Runs `work` with cloud dependencies on the data directory's app database. */
export async function withCloud<T>(dataDir: string, io: CliIo, work: (deps: CloudDeps, app: AppDb) => Promise<T>): Promise<T> {
  const app = openAppDb(dataDir);
  try {
    return await work({ db: app.db, env: io.env, password: passwordSource(io.env) }, app);
  } finally {
    app.close();
  }
}

function printDevices(devices: DeviceInfo[], json: boolean, io: CliIo): void {
  if (json) return io.out(JSON.stringify(devices));
  for (const d of devices) io.out(`${d.id}  ${d.name}  since ${new Date(d.createdAt).toISOString()}  last seen ${new Date(d.lastSeenAt).toISOString()}${d.current ? "  (this device)" : ""}`);
}

function printStatus(s: CloudStatus, json: boolean, io: CliIo): void {
  const { loggedIn, server, email, deviceId, keychain, syncEnabled, lastSyncAt, lastConflicts } = s;
  if (json) io.out(JSON.stringify({ loggedIn, server, email, deviceId, keychain, syncEnabled, lastSyncAt, lastConflicts }));
  else io.out(loggedIn ? `logged in as ${email} on ${server} (device ${deviceId})` : "not logged in");
}

const CORE_SUBCOMMANDS = new Set(["signup", "login", "status", "logout", "devices", "revoke"]);

/** Runs a subcommand on the running core's cloud service (same output as in process). */
async function throughCore(client: ApiClient, sub: string, args: ParsedArgs, io: CliIo): Promise<void> {
  const json = args.values.json === true;
  const credentials = async (prompt: string) => ({ server: requiredString(args.values, "server"), email: requiredString(args.values, "email"), password: await passwordSource(io.env)(prompt) });
  if (sub === "signup") {
    const res = await client.call("cloud.signup", await credentials("New password: "));
    io.err(RECOVERY_NOTE);
    io.out(res.recoveryKey);
  } else if (sub === "login") {
    await client.call("cloud.login", await credentials("Password: "));
    io.err(`logged in as ${requiredString(args.values, "email")}`);
  } else if (sub === "status") printStatus(await client.call("cloud.status", {}), json, io);
  else if (sub === "logout") {
    await client.call("cloud.logout", {});
    io.err("logged out");
  } else if (sub === "devices") printDevices(await client.call("cloud.devices", {}), json, io);
  else {
    await client.call("cloud.revokeDevice", { id: deviceArg(args) });
    io.err(`revoked ${deviceArg(args)}`);
  }
}

const RECOVERY_NOTE = "Your recovery key (shown once; the only way back to your data after a forgotten password):";

function deviceArg(args: ParsedArgs): string {
  const id = args.positionals[1];
  if (!id) throw new UsageError("give the device id: workstation account revoke DEVICE_ID");
  return id;
}

async function runSub(sub: string, args: ParsedArgs, io: CliIo): Promise<void> {
  const json = args.values.json === true;
  if (CORE_SUBCOMMANDS.has(sub)) {
    const client = await connectToRunningCore(args.dataDir);
    if (client) {
      try {
        return await throughCore(client, sub, args, io);
      } catch (err) {
        throw err instanceof ApiError ? new Error(err.message) : err;
      } finally {
        client.close();
      }
    }
  }
  await withCloud(args.dataDir, io, async (deps, app) => {
    if (sub === "signup") {
      const key = await signup(deps, requiredString(args.values, "server"), requiredString(args.values, "email"));
      io.err(RECOVERY_NOTE);
      io.out(key);
    } else if (sub === "login") {
      await login(deps, requiredString(args.values, "server"), requiredString(args.values, "email"));
      io.err(`logged in as ${requiredString(args.values, "email")}`);
    } else if (sub === "recover") {
      const key = await passwordSource(io.env, "WORKSTATION_RECOVERY_KEY")("Recovery key: ");
      const next = await passwordSource(io.env, "WORKSTATION_NEW_PASSWORD")("New password: ");
      await recover(deps, requiredString(args.values, "server"), requiredString(args.values, "email"), key, next);
      io.err("password reset with the recovery key; every other device is signed out");
    } else if (sub === "status") printStatus(accountStatus(app.db), json, io);
    else if (sub === "logout") {
      await (await CloudSession.open(deps)).logout();
      io.err("logged out");
    } else if (sub === "devices") {
      printDevices(await (await CloudSession.open(deps)).request<DeviceInfo[]>("GET", "/v1/devices"), json, io);
    } else if (sub === "revoke") {
      await (await CloudSession.open(deps)).request("DELETE", `/v1/devices/${encodeURIComponent(deviceArg(args))}`);
      io.err(`revoked ${deviceArg(args)}`);
    } else if (sub === "delete") {
      await (await CloudSession.open(deps)).deleteAccount();
      io.err("the account and everything synced to it are deleted; local data stays");
    } else if (sub === "password") {
      await (await CloudSession.open(deps)).changePassword(await passwordSource(io.env, "WORKSTATION_NEW_PASSWORD")("New password: "));
      io.err("password changed");
    } else throw new UsageError(`unknown subcommand "${sub}" (signup, login, recover, logout, status, devices, revoke, password, delete)`);
  });
}

/** The account command. */
export const accountCommand: CliCommand = {
  name: "account",
  usage: "signup|login|recover --server URL --email E | logout | status [--json] | devices [--json] | revoke DEVICE_ID | password | delete",
  help: [
    "--server URL       the cloud service (signup, login)",
    "--email E          the account's email (signup, login)",
    "--json             status and devices as JSON",
    "password: WORKSTATION_PASSWORD (new one: WORKSTATION_NEW_PASSWORD) or a terminal prompt",
    "recover: a new password with the recovery key (WORKSTATION_RECOVERY_KEY or a prompt); signs every other device out",
  ],
  options: { server: { type: "string" }, email: { type: "string" }, json: { type: "boolean" } },
  allowPositionals: true,
  async run(args, io) {
    const sub = args.positionals[0];
    if (!sub) throw new UsageError("give a subcommand: signup, login, recover, logout, status, devices, revoke, password, delete");
    await runSub(sub, args, io);
    return 0;
  },
};
