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
figure.chart { margin: 12px 0; } figure.chart canvas, figure.chart img { max-width: 100%; border: 1px solid #eee; }
`;
