import { run, must } from './run.js';
import { CHAIN_RE } from '../net-faults.js';
import { BRIDGE_RE, HOST_VETH_RE, NETNS_RE } from './names.js';
import { alive } from './procs.js';
import { release } from './state.js';

/** What exists on this host under our names, grouped by short id. */
export interface Found {
  netns: string[];
  hostVeths: string[];
  bridges: string[];
  forwardRules: string[][];
}

const empty = (): Found => ({ netns: [], hostVeths: [], bridges: [], forwardRules: [] });

/** Lists every namespace, host veth, bridge and FORWARD rule with one of our names, by short id. */
export async function scan(): Promise<Map<string, Found>> {
  const out = new Map<string, Found>();
  const of = (id: string): Found => {
    let f = out.get(id);
    if (!f) out.set(id, (f = empty()));
    return f;
  };
  for (const line of (await must(['ip', 'netns', 'list'])).split('\n')) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const m = NETNS_RE.exec(name);
    if (m) of(m[1]!).netns.push(name);
  }
  for (const line of (await must(['ip', '-o', 'link', 'show'])).split('\n')) {
    // "12: flvabc123n1@if3: <...>"
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '';
    const v = HOST_VETH_RE.exec(name);
    if (v) of(v[1]!).hostVeths.push(name);
    const b = BRIDGE_RE.exec(name);
    if (b) of(b[1]!).bridges.push(name);
  }
  for (const line of (await must(['iptables', '-w', '-S', 'FORWARD'])).split('\n')) {
    const args = line.trim().split(/\s+/);
    const i = args.indexOf('-i');
    const b = i >= 0 ? BRIDGE_RE.exec(args[i + 1] ?? '') : null;
    if (args[0] === '-A' && b) of(b[1]!).forwardRules.push(args.slice(1));
  }
  return out;
}

/** Kills (SIGCONT then SIGKILL) every process in a namespace and waits up to 2 s until they are gone. */
export async function killNetnsProcesses(ns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', ns]);
  const pids =
    r.code === 0
      ? r.stdout
          .split(/\s+/)
          .filter(Boolean)
          .map(Number)
          .filter((p) => p > 1 && p !== process.pid)
      : [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 2000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return pids;
}

/**
 * Network faults still on in a namespace: rules in our chains (one chain per fault layer: CHAINS in
 * faults.ts, also the older single FAULTLINE chain) and a tbf qdisc. A crashed run leaves them; teardown
 * after a heal finds none.
 */
export async function faultsIn(ns: string): Promise<{ chains: Map<string, number>; tbf: string[] }> {
  const chains = new Map<string, number>();
  const rules = await run(['ip', 'netns', 'exec', ns, 'iptables', '-w', '-S']);
  for (const line of rules.code === 0 ? rules.stdout.split('\n') : []) {
    const [op, chain] = line.trim().split(/\s+/);
    if (!chain || !CHAIN_RE.test(chain)) continue;
    if (op === '-N') chains.set(chain, chains.get(chain) ?? 0);
    if (op === '-A') chains.set(chain, (chains.get(chain) ?? 0) + 1);
  }
  const q = await run(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'show']);
  // "qdisc tbf 8001: dev fle123abcn1 root refcnt 2 rate 512Kbit ..."
  const tbf = (q.code === 0 ? q.stdout.split('\n') : []).flatMap((l) => {
    const m = /^qdisc tbf \S+ dev (\S+) root/.exec(l.trim());
    return m ? [m[1]!] : [];
  });
  return { chains, tbf };
}

/**
 * Heals what faults a namespace still has, each layer alone (flush of each of our chains, removal of the
 * tbf qdisc), before its processes are killed and it is removed; each step is reported like a removal.
 */
async function healLeftovers(ns: string, step: (what: string, argv: string[]) => Promise<void>): Promise<void> {
  const { chains, tbf } = await faultsIn(ns);
  for (const [chain, n] of chains) {
    if (n > 0) await step(`${n} rule(s) in chain ${chain} in ${ns}`, ['ip', 'netns', 'exec', ns, 'iptables', '-w', '-F', chain]);
  }
  for (const dev of tbf) await step(`tbf qdisc on ${dev} in ${ns}`, ['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', dev, 'root']);
}

/**
 * Removes everything of one short id: faults still on in its namespaces (each of our chains flushed, the
 * tbf qdisc removed, each reported), processes in its namespaces, host veths (explicitly: `ip netns del`
 * alone leaves them ~60 s while sockets sit in TIME_WAIT), namespaces, bridge, FORWARD rule, state record.
 * Tolerates what is already gone; returns what it removed, and throws after trying everything if some step failed.
 */
export async function removeRun(id: string, found?: Found): Promise<string[]> {
  const f = found ?? (await scan()).get(id) ?? empty();
  const removed: string[] = [];
  const errors: string[] = [];
  const step = async (what: string, argv: string[]): Promise<void> => {
    const r = await run(argv);
    if (r.code === 0) removed.push(what);
    else if (!/cannot find|does not exist|no such|not found|bad rule/i.test(r.stderr)) errors.push(`${argv.join(' ')}: ${r.stderr.trim()}`);
  };
  await Promise.all(f.netns.map((ns) => healLeftovers(ns, step)));
  await Promise.all(
    f.netns.map(async (ns) => {
      for (const pid of await killNetnsProcesses(ns)) removed.push(`process ${pid} in ${ns}`);
    }),
  );
  await Promise.all(f.hostVeths.map((v) => step(`veth ${v}`, ['ip', 'link', 'del', v])));
  await Promise.all(f.netns.map((ns) => step(`netns ${ns}`, ['ip', 'netns', 'del', ns])));
  for (const b of f.bridges) await step(`bridge ${b}`, ['ip', 'link', 'del', b]);
  for (const rule of f.forwardRules) await step(`iptables rule -A ${rule.join(' ')}`, ['iptables', '-w', '-D', ...rule]);
  if (release(id)) removed.push(`state record ${id}`);
  if (errors.length) throw new Error(`teardown of run ${id} left something behind:\n  ${errors.join('\n  ')}`);
  return removed;
}
