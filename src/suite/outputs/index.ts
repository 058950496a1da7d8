import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyExact } from '../../history/exact.js';
import type { SuiteResult } from '../types.js';
import { suiteIndexHtml } from './index-html.js';
import { junitXml } from './junit.js';
import { summaryJson, summaryMarkdown } from './summary.js';
import { compareSuites, readBaseline } from './trend.js';

export { readBaseline, compareSuites } from './trend.js';

export interface SuiteOutputs {
  suiteJson: string;
  junit: string;
  summaryJson: string;
  summaryMd: string;
  indexHtml: string;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes a suite's outputs into outDir (the suite's folder; run folders in the result are relative to it):
 * suite.json (the result, 64-bit integers exact), junit.xml, suite-summary.json, suite-summary.md and
 * index.html. With baselineDir, first compares with that suite (sets result.baseline).
 *
 * A baseline that cannot be read (missing, not JSON, another schema) does not cost the night's outputs:
 * they are all written without a trend, and then its InputError is thrown (exit 65). The runner can call
 * readBaseline before it starts to refuse a bad --baseline at once.
 */
export function writeOutputs(result: SuiteResult, outDir: string, baselineDir?: string): SuiteOutputs {
  let baselineError: unknown;
  if (baselineDir !== undefined) {
    try {
      result.baseline = compareSuites(readBaseline(baselineDir), result, baselineDir);
    } catch (e) {
      baselineError = e;
      delete result.baseline;
    }
  }
  mkdirSync(outDir, { recursive: true });
  const paths: SuiteOutputs = {
    suiteJson: join(outDir, 'suite.json'),
    junit: join(outDir, 'junit.xml'),
    summaryJson: join(outDir, 'suite-summary.json'),
    summaryMd: join(outDir, 'suite-summary.md'),
    indexHtml: join(outDir, 'index.html'),
  };
  writeAtomic(paths.suiteJson, stringifyExact(result, 2) + '\n');
  writeAtomic(paths.junit, junitXml(result));
  writeAtomic(paths.summaryJson, stringifyExact(summaryJson(result), 2) + '\n');
  writeAtomic(paths.summaryMd, summaryMarkdown(result, outDir));
  writeAtomic(paths.indexHtml, suiteIndexHtml(result));
  if (baselineError !== undefined) throw baselineError;
  return paths;
}
