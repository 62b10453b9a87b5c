// Find a WebGPU adapter without letting a missing or hanging driver stop the tour.
import { initWebGPU } from '@difflab/gpu';

export type GpuProbe = { ok: true; description: string } | { ok: false; reason: string };

export async function tryWebGPU(timeoutMs = 60_000): Promise<GpuProbe> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from the WebGPU runtime within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    const info = await Promise.race([initWebGPU(), timeout]);
    const a = info.adapter;
    return {
      ok: true,
      description: [
        a.description || a.device,
        a.vendor && `(${a.vendor}, ${a.architecture || 'unknown architecture'})`,
        `via ${info.source}`,
      ]
        .filter(Boolean)
        .join(' '),
    };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
