// Browser code (see dom.ts): the timeline on one <canvas>. One lane per thread (lane 0: the nemesis),
// each op a bar from invocation to completion coloured by outcome, fault windows shaded across lanes.
// Wheel zooms around the cursor, drag pans, double-click resets. Bars are sorted by invocation time,
// so only the visible range is walked (binary search); bars narrower than 3 px are merged per pixel
// column, so a million ops draw in one pass over flat typed arrays.
import type { PageApi, TimelineApi, TimelineData } from './api.js';
import type { WindowSpan } from '../charts.js';
declare const FL: PageApi;

export function timeline(root: HTMLElement, t: TimelineData, windows: WindowSpan[]): TimelineApi {
  const start = FL.decode(t.start, 'f64'),
    dur = FL.decode(t.dur, 'f32'),
    lane = FL.decode(t.lane, 'u16');
  const type = FL.decode(t.type, 'u8'),
    fcode = FL.decode(t.f, 'u8'),
    node = FL.decode(t.node, 'u8'),
    idx = FL.decode(t.idx, 'u32');
  const n = t.bars,
    lanes = t.lanes.length;
  // Long bars (an op never completed spans to the end) would defeat the visible-range search: kept apart.
  const span = Math.max(t.to - t.from, 1);
  const long: number[] = [];
  let maxDur = 0;
  for (let i = 0; i < n; i++) {
    const d = dur[i]!;
    if (d > span / 50) long.push(i);
    else if (d > maxDur) maxDur = d;
  }
  const colours = ['#2ca02c', '#d62728', '#ff7f0e'];
  const nemesisColour = '#8c564b';
  const laneH = Math.max(3, Math.min(16, Math.floor(560 / lanes)));
  const labelW = 90,
    axisH = 22;
  const wrap = FL.el('div', null, 'timeline-wrap');
  const canvas = document.createElement('canvas');
  canvas.id = 'timeline-canvas';
  const tip = FL.el('div', null, 'tip');
  tip.style.display = 'none';
  wrap.appendChild(canvas);
  wrap.appendChild(tip);
  root.appendChild(
    FL.el('p', 'Wheel: zoom; drag: pan; double-click: whole run. Green ok, red fail, orange info (indeterminate); shaded: fault windows.', 'hint'),
  );
  root.appendChild(wrap);
  const pad = (t.to - t.from) * 0.01 + 1;
  const full = { from: t.from - pad, to: t.to + pad };
  const view = { from: full.from, to: full.to };
  let highlighted: number[] = [];
  let mode: 'anomaly' | 'lin' = 'anomaly';
  let ordered = false;
  const dpr = window.devicePixelRatio || 1;
  let W = 0,
    H = 0;
  const size = () => {
    W = Math.max(300, wrap.clientWidth || 1000);
    H = axisH + lanes * laneH + 4;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    canvas.style.width = `${W}px`;
    canvas.style.height = `${H}px`;
  };
  const ctx = canvas.getContext('2d')!;
  const plotW = () => W - labelW;
  const xOf = (ms: number) => labelW + ((ms - view.from) / (view.to - view.from)) * plotW();
  const msOf = (x: number) => view.from + ((x - labelW) / plotW()) * (view.to - view.from);
  const lowerBound = (v: number) => {
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (start[m]! < v) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  let marks = new Uint8Array(0);
  const draw = () => {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    const pw = Math.ceil(plotW());
    // Lanes.
    ctx.font = '10px sans-serif';
    ctx.textBaseline = 'middle';
    for (let l = 0; l < lanes; l++) {
      const y = axisH + l * laneH;
      if (l % 2 === 1) {
        ctx.fillStyle = '#f6f6f6';
        ctx.fillRect(labelW, y, pw, laneH);
      }
      if (laneH >= 8 || l % Math.ceil(10 / laneH) === 0) {
        ctx.fillStyle = '#333';
        ctx.fillText(t.lanes[l]!, 2, y + laneH / 2);
      }
    }
    // Fault windows.
    for (const w of windows) {
      const x0 = Math.max(labelW, xOf(w.from * 1000)),
        x1 = Math.min(W, w.to === null ? W : xOf(w.to * 1000));
      if (x1 <= x0) continue;
      ctx.fillStyle = 'rgba(214,39,40,0.12)';
      ctx.fillRect(x0, axisH, x1 - x0, lanes * laneH);
      ctx.fillStyle = '#961414';
      ctx.fillText(w.kind, x0 + 2, axisH - 6);
    }
    // Axis.
    const step = niceStep((view.to - view.from) / 8);
    ctx.fillStyle = '#333';
    for (let v = Math.ceil(view.from / step) * step; v <= view.to; v += step) {
      const x = xOf(v);
      ctx.fillRect(x, axisH - 3, 1, 3);
      ctx.fillText(`${(v / 1000).toFixed(step < 1 ? 4 : step < 1000 ? 3 : 1)} s`, x + 2, 6);
    }
    // Bars: wide ones as rects, narrow ones as per-pixel marks (worst outcome wins: info > fail > ok).
    if (marks.length !== lanes * pw) marks = new Uint8Array(lanes * pw);
    else marks.fill(0);
    const scale = plotW() / (view.to - view.from);
    const barH = Math.max(1, laneH - 2);
    const rank = [1, 2, 3];
    const drawBar = (i: number) => {
      const s = start[i]!,
        e = s + dur[i]!;
      if (e < view.from || s > view.to) return;
      const x0 = (s - view.from) * scale,
        x1 = (e - view.from) * scale;
      const l = lane[i]!;
      if (x1 - x0 < 3) {
        const c0 = Math.max(0, Math.floor(x0)),
          c1 = Math.min(pw - 1, Math.floor(x1));
        const r = l === 0 ? 4 : rank[type[i]!]!;
        for (let c = c0; c <= c1; c++) if (marks[l * pw + c]! < r) marks[l * pw + c] = r;
      } else {
        ctx.fillStyle = l === 0 ? nemesisColour : colours[type[i]!]!;
        const a = Math.max(0, x0),
          b = Math.min(pw, x1);
        ctx.fillRect(labelW + a, axisH + l * laneH + 1, b - a, barH);
      }
    };
    for (let i = lowerBound(view.from - maxDur); i < n && start[i]! <= view.to; i++) drawBar(i);
    for (const i of long) drawBar(i);
    const markColours = ['', colours[0]!, colours[1]!, colours[2]!, nemesisColour];
    for (let l = 0; l < lanes; l++) {
      const y = axisH + l * laneH + 1;
      let c = 0;
      while (c < pw) {
        const r = marks[l * pw + c]!;
        let e = c + 1;
        while (e < pw && marks[l * pw + e] === r) e++;
        if (r > 0) {
          ctx.fillStyle = markColours[r]!;
          ctx.fillRect(labelW + c, y, e - c, barH);
        }
        c = e;
      }
    }
    // Fault windows again, over the bars, so they stay visible in a busy run.
    for (const w of windows) {
      const x0 = Math.max(labelW, xOf(w.from * 1000)),
        x1 = Math.min(W, w.to === null ? W : xOf(w.to * 1000));
      if (x1 > x0) {
        ctx.fillStyle = 'rgba(120,0,160,0.13)';
        ctx.fillRect(x0, axisH, x1 - x0, lanes * laneH);
      }
    }
    // Highlighted ops: at least 5 px wide, outlined, numbered in linearization order when asked.
    highlighted.forEach((i, k) => {
      const s = start[i]!,
        e = s + dur[i]!;
      let x0 = xOf(s),
        x1 = xOf(e);
      if (x1 < labelW || x0 > W) return;
      if (x1 - x0 < 5) {
        const m = (x0 + x1) / 2;
        x0 = m - 2.5;
        x1 = m + 2.5;
      }
      const y = axisH + lane[i]! * laneH;
      const last = k === highlighted.length - 1;
      ctx.fillStyle = mode === 'lin' && !last ? 'rgba(31,119,180,0.85)' : 'rgba(255,215,0,0.95)';
      ctx.fillRect(x0, y, x1 - x0, laneH);
      ctx.strokeStyle = mode === 'lin' && last ? '#d62728' : '#000';
      ctx.lineWidth = mode === 'lin' && last ? 3 : 2;
      ctx.strokeRect(x0, y, x1 - x0, laneH);
      if (ordered && laneH >= 10 && x1 - x0 > 14) {
        ctx.fillStyle = '#fff';
        ctx.fillText(String(k + 1), x0 + 2, y + laneH / 2);
      }
    });
  };
  let frame = 0;
  const redraw = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  };
  const hit = (x: number, y: number): number => {
    const l = Math.floor((y - axisH) / laneH);
    if (l < 0 || l >= lanes || x < labelW) return -1;
    const ms = msOf(x),
      slack = (2 * (view.to - view.from)) / plotW();
    for (let i = lowerBound(ms - maxDur - slack); i < n && start[i]! <= ms + slack; i++) {
      if (lane[i] === l && start[i]! - slack <= ms && ms <= start[i]! + dur[i]! + slack) return i;
    }
    for (const i of long) if (lane[i] === l && start[i]! <= ms && ms <= start[i]! + dur[i]!) return i;
    return -1;
  };
  let drag: { x: number; from: number; to: number } | null = null;
  canvas.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const r = canvas.getBoundingClientRect();
      const at = msOf(ev.clientX - r.left);
      const k = Math.exp(ev.deltaY * 0.002);
      const width = Math.max(1e-3, (view.to - view.from) * k);
      const frac = (at - view.from) / (view.to - view.from);
      view.from = at - frac * width;
      view.to = view.from + width;
      redraw();
    },
    { passive: false },
  );
  canvas.addEventListener('mousedown', (ev) => {
    drag = { x: ev.clientX, from: view.from, to: view.to };
  });
  window.addEventListener('mouseup', () => {
    drag = null;
  });
  canvas.addEventListener('mousemove', (ev) => {
    const r = canvas.getBoundingClientRect();
    if (drag) {
      const d = ((ev.clientX - drag.x) / plotW()) * (drag.to - drag.from);
      view.from = drag.from - d;
      view.to = drag.to - d;
      redraw();
      return;
    }
    const i = hit(ev.clientX - r.left, ev.clientY - r.top);
    if (i < 0) {
      tip.style.display = 'none';
      return;
    }
    const done = start[i]! + dur[i]!;
    tip.textContent =
      `index ${idx[i]} · ${t.lanes[lane[i]!]} · ${t.fs[fcode[i]!]} ${['ok', 'fail', 'info'][type[i]!]}` +
      `${node[i] ? ` · node ${t.nodes[node[i]!]}` : ''} · ${(start[i]! / 1000).toFixed(6)} s → ${(done / 1000).toFixed(6)} s (${dur[i]!.toFixed(3)} ms)`;
    tip.style.display = 'block';
    tip.style.left = `${Math.min(ev.clientX - r.left + 12, W - 320)}px`;
    tip.style.top = `${ev.clientY - r.top + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.style.display = 'none';
  });
  canvas.addEventListener('dblclick', () => {
    view.from = full.from;
    view.to = full.to;
    redraw();
  });
  window.addEventListener('resize', () => {
    size();
    redraw();
  });
  const api: TimelineApi = {
    view,
    highlighted,
    focus(bars: number[], m: 'anomaly' | 'lin', order?: boolean) {
      highlighted = bars.slice();
      api.highlighted = highlighted;
      mode = m;
      ordered = !!order;
      if (bars.length === 0) return;
      // Zoom to the ops (all of them for an anomaly; the last ones and the breaking op for a witness).
      const shown = m === 'lin' ? bars.slice(-12) : bars;
      let a = Infinity,
        b = -Infinity;
      for (const i of shown) {
        a = Math.min(a, start[i]!);
        b = Math.max(b, start[i]! + dur[i]!);
      }
      const margin = Math.max((b - a) * 0.25, 2);
      view.from = a - margin;
      view.to = b + margin;
      draw();
      (window as unknown as Record<string, unknown>).__timelineFocused = performance.now();
    },
    redraw: draw,
  };
  size();
  draw();
  (window as unknown as Record<string, unknown>).__timelineRendered = performance.now();

  function niceStep(raw: number): number {
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    const m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }
  return api;
}
