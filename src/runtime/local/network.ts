import { must } from './run.js';
import { bridgeName, hostVeth, netnsName, nodeVeth } from './names.js';
import type { Subnet } from './subnet.js';

/** The FORWARD rule that lets bridged traffic through when Docker has set FORWARD to DROP. */
export const forwardRule = (bridge: string): string[] => ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'];

/** Bridge with the host at .1, and the FORWARD accept rule. Undo with the steps in teardown.ts. */
export async function createBridge(id: string, subnet: Subnet): Promise<void> {
  const br = bridgeName(id);
  await must(['ip', 'link', 'add', br, 'type', 'bridge']);
  await must(['ip', 'addr', 'add', `${subnet.hostIp}/24`, 'dev', br]);
  await must(['ip', 'link', 'set', br, 'up']);
  const [chain, ...rest] = forwardRule(br);
  await must(['iptables', '-w', '-I', chain!, '1', ...rest]);
}

/** Namespace for one node, a veth pair from the bridge into it, its address, lo up. */
export async function createNode(id: string, node: string, ip: string): Promise<void> {
  const ns = netnsName(id, node);
  const hv = hostVeth(id, node);
  const nv = nodeVeth(id, node);
  await must(['ip', 'netns', 'add', ns]);
  await must(['ip', 'link', 'add', hv, 'type', 'veth', 'peer', 'name', nv, 'netns', ns]);
  await must(['ip', 'link', 'set', hv, 'master', bridgeName(id), 'up']);
  await must(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', nv]);
  await must(['ip', '-n', ns, 'link', 'set', nv, 'up']);
  await must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
}
