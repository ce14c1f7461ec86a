/** Handlers of the `compute.*` API entries: the Compute settings, the connection test, the live workers, the queued runs. */
import type { PartialHandlers } from "../api/handlers.ts";
import type { ComputeService } from "./service.ts";

/** Builds the compute part of the handler map. */
export function computeHandlers(compute: ComputeService): PartialHandlers<"compute.settings.get" | "compute.settings.set" | "compute.test" | "compute.workers" | "compute.runs"> {
  return {
    "compute.settings.get": () => compute.settings.view(),
    "compute.settings.set": (p) => compute.settings.update(p),
    "compute.test": (p) => compute.test(p.url),
    "compute.workers": () => compute.workers(),
    "compute.runs": () => compute.runs(),
  };
}
