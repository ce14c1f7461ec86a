/** The `cloud.*` part of the API map: the cloud account's state and end-to-end encrypted sync, run by core. */
import { z } from "zod";
import { method } from "./define.ts";

/** This device's cloud account and sync state (also `workstation account status --json`). */
export interface CloudStatus {
  loggedIn: boolean;
  server: string | null;
  email: string | null;
  deviceId: string | null;
  /** Whether the refresh token and data key are in the OS keychain (background sync needs it). */
  keychain: boolean;
  syncEnabled: boolean;
  /** UTC ms of the last completed sync round. */
  lastSyncAt: number | null;
  /** Conflicts the last round resolved (concurrent field edits, strategy forks). */
  lastConflicts: number;
}

/** What one sync round did (the `workstation sync --json` contract). */
export interface SyncResultView {
  pushed: number;
  pulled: number;
  conflicts: number;
}

/** A device signed in to the account. */
export interface CloudDeviceView {
  id: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

const credentials = z.object({ server: z.string().min(1).max(2048), email: z.string().min(3).max(254), password: z.string().min(1).max(1024) });

/** Requests served by core's cloud service. */
export const cloudApi = {
  "cloud.status": method(z.object({})).returns<CloudStatus & { syncing: boolean; lastError: string | null }>(),
  /** One round now, whether background sync is on or off; `password` is needed only without a keychain. */
  "cloud.sync": method(z.object({ password: z.string().max(1024).optional() })).returns<SyncResultView>(),
  "cloud.setSyncEnabled": method(z.object({ enabled: z.boolean() })).returns<CloudStatus>(),
  /** Creates the account and signs this device in; the recovery key is returned once and kept nowhere. */
  "cloud.signup": method(credentials).returns<{ recoveryKey: string; status: CloudStatus }>(),
  "cloud.login": method(credentials).returns<CloudStatus>(),
  "cloud.logout": method(z.object({})).returns<CloudStatus>(),
  "cloud.devices": method(z.object({})).returns<CloudDeviceView[]>(),
  "cloud.revokeDevice": method(z.object({ id: z.string().min(1).max(64) })).returns<CloudDeviceView[]>(),
};
