/**
 * Test support: a throw-away D-Bus session with an unlocked GNOME keyring (as scripts/test.sh and
 * the keys tests use it), with credentials saved through `workstation keys add`; processes given its
 * bus address read keys from it like from a desktop keychain. Closing it ends the session.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** True when `dbus-run-session` and `gnome-keyring-daemon` are installed. */
export function hasKeyring(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v dbus-run-session && command -v gnome-keyring-daemon"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A running keyring session. */
export interface KeyringSession {
  /** The environment that reaches it (the base environment plus its bus address). */
  env: NodeJS.ProcessEnv;
  close(): void;
}

/**
 * Starts a session under `dir` (HOME and XDG dirs there) and adds each key with
 * `BIN keys add VENUE --env ENV` (key and secret on stdin); resolves once they are saved.
 */
export async function startKeyring(bin: string, dir: string, baseEnv: NodeJS.ProcessEnv, keys: { venue: string; env: string; apiKey: string; secret: string }[]): Promise<KeyringSession> {
  const home = path.join(dir, "keyring-home");
  fs.mkdirSync(home, { recursive: true });
  const addr = path.join(home, "bus");
  const adds = keys.map((k) => `printf '%s\\n%s\\n' '${k.apiKey}' '${k.secret}' | "${bin}" keys add ${k.venue} --env ${k.env} >&2`).join(" && ");
  const script = `printf workstation-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ${adds || "true"} && echo "$DBUS_SESSION_BUS_ADDRESS" > '${addr}' && read _`;
  const env: NodeJS.ProcessEnv = { ...baseEnv, HOME: home, XDG_DATA_HOME: path.join(home, "data"), XDG_RUNTIME_DIR: home };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const child = spawn("dbus-run-session", ["--", "sh", "-c", script], { env });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; i < 1200 && !fs.existsSync(addr) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  if (!fs.existsSync(addr)) {
    child.kill();
    await exited;
    throw new Error(`the keyring session did not start: ${err}`);
  }
  return { env: { ...env, DBUS_SESSION_BUS_ADDRESS: fs.readFileSync(addr, "utf8").trim() }, close: () => child.stdin.end() };
}
