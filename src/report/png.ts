import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartSpec } from './charts.js';
import { shadeWindowsPlugin } from './shade-plugin.js';

export const PNG_WIDTH = 800,
  PNG_HEIGHT = 400;

interface ChartRenderer {
  renderToBuffer(config: unknown, mime: 'image/png'): Promise<Buffer>;
}
type RendererClass = new (opts: { width: number; height: number; backgroundColour: string }) => ChartRenderer;

// chartjs-node-canvas is an optional dependency: canvas compiles against cairo/pango headers, and a
// machine without them (or a user who cannot install them) still installs faultline and checks histories.
// Named through a variable so the build does not need its types either.
const RENDERER_MODULE = 'chartjs-node-canvas';

/** The PNG renderer, or why there is none (loaded on use: canvas is native, and most commands never draw). */
export async function pngRenderer(): Promise<RendererClass | string> {
  try {
    const mod = (await import(RENDERER_MODULE)) as { ChartJSNodeCanvas: RendererClass };
    return mod.ChartJSNodeCanvas;
  } catch (e) {
    return (
      `PNG charts skipped: ${RENDERER_MODULE} (canvas) is not installed or did not build (${(e as Error).message.split('\n')[0]}); ` +
      '`faultline setup --report` as root installs the headers it needs and rebuilds it'
    );
  }
}

/**
 * Each chart as charts/<id>.png (800x400, white background) next to the HTML; returns id -> relative path.
 * Without the renderer it returns no PNGs and calls onNote with why (the HTML charts do not need them).
 */
export async function renderPngs(dir: string, charts: ChartSpec[], onNote?: (note: string) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (charts.length === 0) return out;
  const Renderer = await pngRenderer();
  if (typeof Renderer === 'string') {
    onNote?.(Renderer);
    return out;
  }
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const canvas = new Renderer({ width: PNG_WIDTH, height: PNG_HEIGHT, backgroundColour: 'white' });
  for (const c of charts) {
    const config = { ...structuredClone(c.config), plugins: [shadeWindowsPlugin] };
    const buf = await canvas.renderToBuffer(config, 'image/png');
    const rel = `charts/${c.id}.png`;
    writeFileSync(join(dir, rel), buf);
    out.set(c.id, rel);
  }
  return out;
}
