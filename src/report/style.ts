/** The report's CSS (inline: the file opens offline). */
export const REPORT_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; margin: 4px 0; }
.verdict { font-size: 16px; font-weight: 600; padding: 6px 10px; border-radius: 4px; display: inline-block; }
.verdict-valid { color: #1b5e20; } .verdict-invalid { color: #b71c1c; } .verdict-unknown { color: #8a5a00; }
p.verdict-valid { background: #e8f5e9; } p.verdict-invalid { background: #ffebee; } p.verdict-unknown { background: #fff8e1; }
ul.verdicts { columns: 2; margin: 8px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
pre.command { background: #f4f4f4; padding: 8px; white-space: pre-wrap; word-break: break-all; }
.card { border: 1px solid #e0b4b4; border-left: 5px solid #d62728; border-radius: 4px; padding: 8px 12px; margin: 10px 0; background: #fffafa; }
.card.lin { border-color: #b4c8e0; border-left-color: #1f77b4; background: #fafcff; }
table { border-collapse: collapse; font-size: 12px; margin: 6px 0; } th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
td { max-width: 420px; overflow-wrap: anywhere; font-family: ui-monospace, monospace; } tr.breaking td { background: #ffd6d6; font-weight: 600; }
a.show { cursor: pointer; color: #0b57d0; }
.timeline-wrap { position: relative; border: 1px solid #ddd; overflow: hidden; user-select: none; }
#timeline-canvas { display: block; cursor: grab; }
.tip { position: absolute; background: rgba(30,30,30,0.92); color: #fff; font-size: 12px; padding: 4px 6px; border-radius: 3px;
  pointer-events: none; max-width: 320px; }
.hint { color: #666; font-size: 12px; }
svg.cycle-graph { display: block; max-width: 100%; height: auto; margin: 6px 0; font: 12px system-ui, sans-serif; }
.cyc-node circle { fill: #fff; stroke: #333; stroke-width: 1.5; } .cyc-node.cyc-info circle { stroke-dasharray: 4 2; }
.cyc-link { cursor: pointer; } .cyc-link:hover circle { fill: #fff3c4; }
.cyc-name { font-weight: 600; fill: #222; } .cyc-proc { fill: #666; font-size: 11px; }
.cyc-line { fill: none; stroke-width: 2; } .cyc-label { paint-order: stroke; stroke: #fffafa; stroke-width: 4px; stroke-linejoin: round; }
.cyc-ww .cyc-line { stroke: #1f5fa8; } .cyc-ww .cyc-head, .cyc-ww .cyc-label { fill: #1f5fa8; }
.cyc-wr .cyc-line { stroke: #2a7d2a; stroke-dasharray: 9 3 2 3; } .cyc-wr .cyc-head, .cyc-wr .cyc-label { fill: #2a7d2a; }
.cyc-rw .cyc-line { stroke: #c0392b; stroke-dasharray: 6 4; } .cyc-rw .cyc-head, .cyc-rw .cyc-label { fill: #c0392b; }
.cyc-process .cyc-line { stroke: #666; stroke-dasharray: 2 3; } .cyc-process .cyc-head, .cyc-process .cyc-label { fill: #555; }
.cyc-realtime .cyc-line { stroke: #8e44ad; stroke-dasharray: 12 3 2 3 2 3; } .cyc-realtime .cyc-head, .cyc-realtime .cyc-label { fill: #8e44ad; }
ul.cyc-legend { list-style: none; padding: 0; margin: 0 0 6px; font-size: 12px; } ul.cyc-legend li { margin: 1px 0; }
ul.cyc-legend svg { vertical-align: middle; margin-right: 6px; }
ol.chain { margin: 4px 0 6px; padding-left: 22px; } ol.chain li { margin: 2px 0; overflow-wrap: anywhere; }
figure.chart { margin: 12px 0; } figure.chart canvas, figure.chart img { max-width: 100%; border: 1px solid #eee; }
`;
