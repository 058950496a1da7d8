export { buildReport, type BuiltReport } from './build.js';
export { writeRunsIndex, runsIndexHtml } from './index-page.js';
export { listRuns, type RunEntry } from './runs.js';
export { serveReports } from './serve.js';
export { embedJson } from './embed-json.js';
export { shellQuote } from './describe.js';
