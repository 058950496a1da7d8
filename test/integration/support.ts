// leftovers() lives in the runtime so `npm run soak` (bench/soak.ts) reports exactly what the tests refuse.
export { leftovers } from '../../src/runtime/local/leftovers.js';

/** Fails (never skips) when the machine cannot run integration tests: CI must run them. */
export async function requireRuntime(check: () => Promise<string | undefined>): Promise<void> {
  const why = await check();
  if (why) throw new Error(`integration tests cannot run here: ${why}. Run \`npm test\` as root on Debian (scripts/setup.sh installs what they need).`);
}
