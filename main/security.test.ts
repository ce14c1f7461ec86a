/**
 * The hardening in security.ts: permissions (only notifications), requests (only core's origin),
 * and the navigation, redirect, webview and window-open guards, with malformed URLs throughout.
 */
import type { Session, WebContents } from "electron";
import { describe, expect, it, vi } from "vitest";
import { FakeWebContents, fire } from "./fake-electron.ts";
import { guardWebContents, hardenSession, isExternalAllowed, isRequestAllowed, navigationGuard, parseUrl, windowOpenHandler } from "./security.ts";

const CORE = "http://127.0.0.1:4310";
const MALFORMED = ["", "http://[::1", "https://", "://x", "%%%", "http://exa mple.org", "http://:80", "\u0000"];

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type CheckHandler = (contents: unknown, permission: string) => boolean;
type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

function fakeSession(): { session: Session; request: () => RequestHandler; check: () => CheckHandler; beforeRequest: () => BeforeRequest } {
  const handlers: { request?: RequestHandler; check?: CheckHandler; beforeRequest?: BeforeRequest } = {};
  const session = {
    setPermissionRequestHandler: (h: RequestHandler) => (handlers.request = h),
    setPermissionCheckHandler: (h: CheckHandler) => (handlers.check = h),
    webRequest: { onBeforeRequest: (h: BeforeRequest) => (handlers.beforeRequest = h) },
  };
  return { session: session as unknown as Session, request: () => handlers.request!, check: () => handlers.check!, beforeRequest: () => handlers.beforeRequest! };
}

describe("URL checks", () => {
  it("never throw on malformed URLs or non-strings, and deny them", () => {
    for (const url of [...MALFORMED, 42, null, undefined, {}]) {
      expect(parseUrl(url)).toBeNull();
      expect(isExternalAllowed(url)).toBe(false);
      expect(isRequestAllowed(String(url), CORE)).toBe(false);
    }
  });

  it("allow external https and non-loopback http only, without credentials", () => {
    expect(isExternalAllowed("https://example.org/docs?a=1")).toBe(true);
    expect(isExternalAllowed("http://example.org/")).toBe(true);
    for (const url of ["http://127.0.0.1:4310/", "http://localhost/", "http://[::1]/", "javascript:alert(1)", "file:///etc/passwd", "https://user:pw@example.org/", "mailto:a@b.c"]) {
      expect(isExternalAllowed(url)).toBe(false);
    }
  });
});

describe("hardenSession", () => {
  const s = fakeSession();
  hardenSession(s.session, CORE);

  it("grants notifications and denies every other permission request and check", () => {
    const answers: Record<string, boolean> = {};
    for (const permission of ["notifications", "media", "geolocation", "clipboard-read", "openExternal", "fileSystem", "unknown", "midiSysex"]) {
      s.request()(null, permission, (granted) => (answers[permission] = granted));
      expect(s.check()(null, permission)).toBe(permission === "notifications");
    }
    expect(answers).toEqual({ notifications: true, media: false, geolocation: false, "clipboard-read": false, openExternal: false, fileSystem: false, unknown: false, midiSysex: false });
  });

  it("loads core's pages and WebSocket and local content, and cancels everything remote or malformed", () => {
    const cancelled = (url: string): boolean => {
      let cancel: boolean | undefined;
      s.beforeRequest()({ url }, (response) => (cancel = response.cancel));
      return cancel!;
    };
    for (const url of [`${CORE}/`, `${CORE}/assets/app.js`, "ws://127.0.0.1:4310/ws", "ws://localhost:4310/ws", "devtools://devtools/bundled/inspector.html", "data:image/png;base64,AA==", "blob:http://127.0.0.1:4310/x"]) {
      expect(cancelled(url), url).toBe(false);
    }
    for (const url of ["https://cdn.example.org/lib.js", "http://127.0.0.1:9999/", "wss://127.0.0.1:4310/ws", "ws://example.org:4310/", "file:///etc/passwd", ...MALFORMED]) {
      expect(cancelled(url), url).toBe(true);
    }
  });
});

describe("window-open and navigation guards", () => {
  it("never open a window; hand well-formed external links (normalised) to the system browser", () => {
    const opened: string[] = [];
    const handler = windowOpenHandler((url) => opened.push(url));
    for (const url of ["https://example.org/a b", "http://example.org", `${CORE}/other`, "javascript:alert(1)", ...MALFORMED]) {
      expect(handler({ url } as Parameters<typeof handler>[0])).toEqual({ action: "deny" });
    }
    expect(opened).toEqual(["https://example.org/a%20b", "http://example.org/"]);
  });

  it("cancel navigation anywhere but core's origin, malformed URLs included", () => {
    const guard = navigationGuard(CORE);
    const prevented = (url: string): boolean => {
      const event = { preventDefault: vi.fn() };
      guard(event as unknown as Parameters<typeof guard>[0], url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(prevented(`${CORE}/#/chart`)).toBe(false);
    for (const url of ["https://example.org/", "http://127.0.0.1:4311/", "https://127.0.0.1:4310/", "about:blank", "file:///etc/passwd", ...MALFORMED]) {
      expect(prevented(url), url).toBe(true);
    }
  });

  it("apply to a web contents: navigation, redirects, webviews and window.open", () => {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    guardWebContents(contents as unknown as WebContents, CORE, (url) => opened.push(url));
    expect(fire(contents, "will-navigate", "https://evil.example/")).toBe(true);
    expect(fire(contents, "will-navigate", "http://[::1")).toBe(true);
    expect(fire(contents, "will-navigate", `${CORE}/next`)).toBe(false);
    expect(fire(contents, "will-redirect", "https://evil.example/")).toBe(true);
    expect(fire(contents, "will-attach-webview", {}, {})).toBe(true);
    expect(contents.openHandler!({ url: "%%%" })).toEqual({ action: "deny" });
    expect(contents.openHandler!({ url: "https://example.org/" })).toEqual({ action: "deny" });
    expect(opened).toEqual(["https://example.org/"]);
  });
});
