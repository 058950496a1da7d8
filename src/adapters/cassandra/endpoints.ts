import cassandra from 'cassandra-driver';
import type { RuntimeNode } from '../../runtime/types.js';
import { CQL_PORT } from './config.js';

/** Where faultline's own process reaches a node's CQL port (node.endpoint), as the driver writes endpoints: host:port. */
export function cqlEndpoint(node: RuntimeNode): string {
  const e = node.endpoint(CQL_PORT);
  return `${e.host}:${e.port}`;
}

type TranslatorClass = new () => cassandra.policies.addressResolution.AddressTranslator;
// A class at runtime (the driver checks `instanceof` it), an interface in its typings.
const AddressTranslator = (cassandra.policies.addressResolution as unknown as { AddressTranslator: TranslatorClass }).AddressTranslator;

/**
 * The driver learns the other nodes from system.peers_v2 (and status events) by their addresses on the run's
 * network (rpc_address), which the host may not route to (the docker runtime's published-port mode): this maps
 * each node's address to where the host reaches its CQL port. Identity where nodes are reached by address.
 */
export class NodeAddressTranslator extends AddressTranslator {
  private readonly endpoints: Map<string, string>;

  constructor(nodes: readonly RuntimeNode[]) {
    super();
    this.endpoints = new Map(nodes.map((n) => [n.ip, cqlEndpoint(n)]));
  }

  override translate(address: string, port: number, callback: (endpoint: string) => void): void {
    callback(this.endpoints.get(address) ?? `${address}:${port}`);
  }
}
