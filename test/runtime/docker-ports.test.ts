import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { hostPortsOf } from '../../src/adapters/index.js';
import { adapterProblems } from '../../src/adapters/external.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { portMode } from '../../src/runtime/docker/cluster.js';
import { DockerNode } from '../../src/runtime/docker/node.js';

// No engine needed: endpoint() answers from what up() read back from the engine; the container is never called.
const container = {} as Docker.Container;

describe('docker runtime port modes', () => {
  it('auto is address on Linux only; the option wins over FAULTLINE_DOCKER_PORTS, which wins over auto', () => {
    expect(portMode(undefined, undefined, 'linux')).toBe('address');
    expect(portMode(undefined, '', 'darwin')).toBe('published');
    expect(portMode(undefined, 'auto', 'win32')).toBe('published');
    expect(portMode(undefined, 'published', 'linux')).toBe('published');
    expect(portMode('address', 'published', 'darwin')).toBe('address');
    expect(portMode('auto', 'published', 'linux')).toBe('address');
  });

  it('a mode it does not know is an error naming where it came from', () => {
    expect(() => portMode(undefined, 'bridge', 'linux')).toThrow(/FAULTLINE_DOCKER_PORTS must be one of address, published, auto, got 'bridge'/);
    expect(() => portMode('nat' as 'auto', undefined, 'linux')).toThrow(/DockerOptions.ports must be one of/);
  });

  it('address mode: a node port is reached at the container address', () => {
    const n = new DockerNode(container, 'n1', '10.78.20.11', '/tmp/n1', undefined, container);
    expect(n.endpoint(5432)).toEqual({ host: '10.78.20.11', port: 5432 });
  });

  it('published mode: a published port is reached on loopback at its host port; any other port throws, naming it', () => {
    const n = new DockerNode(
      container,
      'n2',
      '10.78.20.12',
      '/tmp/n2',
      new Map([
        [6379, 49170],
        [26379, 49171],
      ]),
      container,
    );
    expect(n.endpoint(6379)).toEqual({ host: '127.0.0.1', port: 49170 });
    expect(n.endpoint(26379)).toEqual({ host: '127.0.0.1', port: 49171 });
    expect(() => n.endpoint(5432)).toThrow(/n2: port 5432 is not published to the host .*published: 6379, 26379/);
  });

  it("the ports a run publishes: the adapter's client port and its host ports (Redis: Sentinel's too)", () => {
    expect(hostPortsOf(redisAdapter.description)).toEqual([6379, 26379]);
    expect(hostPortsOf({ defaultReplication: 'x', clientPort: 2379, proxiedLinks: [], abilities: [] })).toEqual([2379]);
  });

  it("an external adapter's hostPorts must be port numbers", () => {
    const a = { name: 'x', description: { defaultReplication: 'a', clientPort: 1, proxiedLinks: [], abilities: [], hostPorts: [0] } };
    expect(adapterProblems({ ...a, replicationModes: ['a'], workloads: ['register'], unavailable() {}, setup() {} })).toContain(
      'description.hostPorts, when given, must be an array of port numbers (1-65535)',
    );
  });
});
