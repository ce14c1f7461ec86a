/**
 * The in-app alert sound: a short beep generated in code (no audio file) — a sine tone with a quick
 * attack and a smooth decay, so it neither clicks nor lingers — played through WebAudio. A burst of
 * fires (a catch-up, several rules on one bar) beeps once.
 */

/** The beep: tone (Hz), length (ms), peak amplitude (0-1). */
export const BEEP = { frequency: 880, durationMs: 160, peak: 0.25 } as const;
/** Fires within this long of a beep do not beep again. */
export const BEEP_GAP_MS = 1000;
const ATTACK_MS = 8;

/** The beep's samples at `sampleRate`: silent at both ends, at most {@link BEEP}.peak. */
export function beepSamples(sampleRate: number): Float32Array<ArrayBuffer> {
  const n = Math.round((sampleRate * BEEP.durationMs) / 1000);
  const attack = Math.max(1, Math.round((sampleRate * ATTACK_MS) / 1000));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const envelope = i < attack ? i / attack : Math.pow(1 - (i - attack) / Math.max(1, n - 1 - attack), 2);
    out[i] = BEEP.peak * envelope * Math.sin((2 * Math.PI * BEEP.frequency * i) / sampleRate);
  }
  return out;
}

/** Whether a fire at `now` beeps, given the last beep's time (null: none yet). */
export function beepDue(lastBeep: number | null, now: number): boolean {
  return lastBeep === null || now - lastBeep >= BEEP_GAP_MS;
}

let context: AudioContext | null = null;
let lastBeep: number | null = null;

/** Plays the beep now (unless one just played); does nothing where the page has no WebAudio. */
export function playAlertBeep(now = Date.now()): void {
  if (typeof AudioContext === "undefined" || !beepDue(lastBeep, now)) return;
  lastBeep = now;
  try {
    context ??= new AudioContext();
    void context.resume().catch(() => undefined);
    const samples = beepSamples(context.sampleRate);
    const buffer = context.createBuffer(1, samples.length, context.sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.start();
  } catch {
    // No audio device or a blocked context: the fire is still in the log and notified.
  }
}
