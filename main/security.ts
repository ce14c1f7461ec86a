/**
 * Electron hardening around the windows: the session grants no permission but notifications and
 * loads nothing remote (only core's loopback origin), and every web contents may neither navigate
 * away from core nor open windows. URL parsing never throws here: a malformed URL is denied.
 */
import type { Event, HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from "electron";

/** The only permission a page may have: native notifications (for alerts). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(["notifications"]);

/** Schemes of requests that leave the machine (checked against core's origin). */
const NETWORK_SCHEMES = new Set(["http:", "https:", "ws:", "wss:"]);
/** Schemes that load local, non-network content. */
const LOCAL_SCHEMES = new Set(["devtools:", "data:", "blob:", "chrome-extension:", "chrome:"]);

/** The URL, or null when it is malformed. */
export function parseUrl(url: unknown): URL | null {
  if (typeof url !== "string") return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for links the app may hand to the system browser: well-formed http(s), not loopback, no credentials. */
export function isExternalAllowed(url: unknown): boolean {
  const u = parseUrl(url);
  if (!u || u.username !== "" || u.password !== "") return false;
  if (u.protocol === "https:") return true;
  return u.protocol === "http:" && !isLoopback(u.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname.startsWith("127.");
}

/** True when `url` is well-formed and on core's origin (scheme, host and port). */
export function isCoreUrl(url: unknown, coreOrigin: string): boolean {
  const u = parseUrl(url);
  return u !== null && u.origin === coreOrigin;
}

/** True when a request may load: core's own http and WebSocket traffic, or local content; nothing remote. */
export function isRequestAllowed(url: string, coreOrigin: string): boolean {
  const u = parseUrl(url);
  const core = parseUrl(coreOrigin);
  if (!u || !core) return false;
  if (LOCAL_SCHEMES.has(u.protocol)) return true;
  if (!NETWORK_SCHEMES.has(u.protocol)) return false;
  const sameHost = u.port === core.port && (u.hostname === core.hostname || (isLoopback(u.hostname) && isLoopback(core.hostname)));
  return sameHost && (u.protocol === core.protocol || u.protocol === (core.protocol === "https:" ? "wss:" : "ws:"));
}

/** Denies every permission request and check but notifications, and cancels every request that is not core's. */
export function hardenSession(session: Session, coreOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url, coreOrigin) }));
}

/** Opens a link in the system browser; the caller has checked it with {@link isExternalAllowed}. */
export type OpenExternal = (url: string) => void;

/**
 * The window-open handler: never opens an Electron window; a well-formed external http(s) link goes
 * to the system browser (normalised), anything else (malformed included) is dropped.
 */
export function windowOpenHandler(openExternal: OpenExternal): (details: HandlerDetails) => WindowOpenHandlerResponse {
  return ({ url }) => {
    const u = parseUrl(url);
    if (u && isExternalAllowed(u.href)) openExternal(u.href);
    return { action: "deny" };
  };
}

/** The navigation guard: cancels navigation anywhere but core's origin (malformed URLs included). */
export function navigationGuard(coreOrigin: string): (event: Event, url: string) => void {
  return (event, url) => {
    if (!isCoreUrl(url, coreOrigin)) event.preventDefault();
  };
}

/** Applies the navigation, redirect, window-open and webview guards to one web contents. */
export function guardWebContents(contents: WebContents, coreOrigin: string, openExternal: OpenExternal): void {
  const guard = navigationGuard(coreOrigin);
  contents.setWindowOpenHandler(windowOpenHandler(openExternal));
  contents.on("will-navigate", (event, url) => guard(event, url));
  contents.on("will-redirect", (event, url) => guard(event, url));
  contents.on("will-attach-webview", (event) => event.preventDefault());
}
