import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartSpec } from './charts.js';
import { shadeWindowsPlugin } from './shade-plugin.js';

export const PNG_WIDTH = 800, PNG_HEIGHT = 400;

/** Each chart as charts/<id>.png (800x400, white background) next to the HTML; returns id -> relative path. */
export async function renderPngs(dir: string, charts: ChartSpec[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (charts.length === 0) return out;
  mkdirSync(join(dir, 'charts'), { recursive: true });
  // Loaded on use: canvas is a native module, and most CLI commands never draw.
  const { ChartJSNodeCanvas } = await import('chartjs-node-canvas');
  const canvas = new ChartJSNodeCanvas({ width: PNG_WIDTH, height: PNG_HEIGHT, backgroundColour: 'white' });
  for (const c of charts) {
    const config = { ...structuredClone(c.config), plugins: [shadeWindowsPlugin] };
    const buf = await canvas.renderToBuffer(config as never, 'image/png');
    const rel = `charts/${c.id}.png`;
    writeFileSync(join(dir, rel), buf);
    out.set(c.id, rel);
  }
  return out;
}
