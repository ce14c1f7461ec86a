/**
 * Which view a window shows, from its address: the whole workstation, the strategy editor on its
 * own (a detached editor) or a chart on its own ("New window"). An unknown view is the workstation.
 */

/** A window's view. */
export type WindowView = "workstation" | "editor" | "chart";

/** The view named by a page's query string (`?view=editor`). */
export function windowView(search: string): WindowView {
  const view = new URLSearchParams(search).get("view");
  return view === "editor" || view === "chart" ? view : "workstation";
}

/** The address of the same app showing `view`, optionally with extra query parameters. */
export function viewUrl(base: string, view: WindowView, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ view, ...extra });
  return `${base}?${params.toString()}`;
}
