/**
 * chart.js plugin: fault windows shaded behind the data of time charts. Self-contained (no imports,
 * no closures): the page inlines it with Function.prototype.toString, and the PNG renderer uses it as is.
 * Windows come from options.plugins.faultWindows.windows: [{ from, to, kind }] in seconds (to null: never healed).
 */
export const shadeWindowsPlugin = {
  id: 'faultWindows',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- self-contained (inlined as source): no chart.js types
  beforeDatasetsDraw(chart: any): void {
    const opts = chart.options?.plugins?.faultWindows;
    const x = chart.scales?.x;
    const area = chart.chartArea;
    if (!opts || !x || !area || !Array.isArray(opts.windows)) return;
    const ctx = chart.ctx;
    ctx.save();
    for (const w of opts.windows) {
      const x0 = Math.max(area.left, x.getPixelForValue(w.from));
      const x1 = Math.min(area.right, w.to === null ? area.right : x.getPixelForValue(w.to));
      if (!(x1 > x0)) continue;
      ctx.fillStyle = 'rgba(214, 39, 40, 0.10)';
      ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
      ctx.fillStyle = 'rgba(150, 20, 20, 0.8)';
      ctx.font = '10px sans-serif';
      ctx.fillText(String(w.kind), x0 + 2, area.top + 10);
    }
    ctx.restore();
  },
};
