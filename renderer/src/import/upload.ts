/**
 * Sends a file's bytes to core (`POST /api/upload`, authenticated by the page's cookie) so it can
 * be imported from browser mode, where the page cannot name a file path. The browser streams the
 * file from disk; progress is reported, and an abort stops the upload (core removes the part).
 */

/** Where core stored an upload. */
export interface Uploaded {
  file: string;
  name: string;
  bytes: number;
}

/** Uploads `file`; rejects with core's message (e.g. too large) or "cancelled" on abort. */
export function uploadFile(file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.withCredentials = true;
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as (Partial<Uploaded> & { error?: string }) | null;
      if (xhr.status === 200 && body?.file) resolve(body as Uploaded);
      else reject(new Error(body?.error ?? `upload of ${file.name} failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error(`upload of ${file.name} failed: core did not answer`));
    xhr.onabort = () => reject(new Error("cancelled"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
