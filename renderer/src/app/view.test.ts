import { describe, expect, it } from "vitest";
import { viewUrl, windowView } from "./view.ts";

describe("windowView", () => {
  it("reads the view from the query string, the workstation otherwise", () => {
    expect(windowView("?view=editor")).toBe("editor");
    expect(windowView("?view=chart&symbol=X")).toBe("chart");
    expect(windowView("")).toBe("workstation");
    expect(windowView("?view=<script>")).toBe("workstation");
  });

  it("builds an address that reads back as the same view", () => {
    const url = viewUrl("http://127.0.0.1:1/", "chart", { symbol: "BTC USD" });
    expect(url).toBe("http://127.0.0.1:1/?view=chart&symbol=BTC+USD");
    expect(windowView(new URL(url).search)).toBe("chart");
  });
});
