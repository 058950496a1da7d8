// An etcd adapter for faultline, written outside faultline as a user writes one (docs/adapters.md):
// plain ESM JavaScript, no compile step, no dependency. Types come from the 'faultline' package by JSDoc
// only; at run time it uses nothing of faultline's but the objects faultline hands it (the cluster and its
// nodes), and Node's own fetch for its clients.
//
//   faultline run --adapter examples/adapters/etcd --workload register --nemesis partition,kill
//
// etcd (Debian's etcd-server, 3.4): one member per node, started together as a new cluster, each a
// foreground process spawned through the node (never a shell, never the host's child_process: the same code
// runs where a node is a network namespace or a container). Clients speak etcd's v3 JSON gateway over HTTP.
//
// Replication modes (what a read asks of the member it is sent to):
//   linearizable  (default, safe) a read is confirmed with the leader (ReadIndex) before it answers
//   serializable  (unsafe) a read is answered from the member's own state: a member cut off from the
//                 leader keeps answering, with values the majority has since overwritten (stale reads)
// Reads go, per session, to the leader (--reads primary), a follower (replicas) or any member (any); writes
// go to the same member, which forwards them to the leader.

// @ts-check

/**
 * @typedef {import('faultline').Adapter} Adapter
 * @typedef {import('faultline').Db} Db
 * @typedef {import('faultline').Client} Client
 * @typedef {import('faultline').Completion} Completion
 * @typedef {import('faultline').Cluster} Cluster
 * @typedef {import('faultline').DbOptions} DbOptions
 * @typedef {import('faultline').ReadRouting} ReadRouting
 * @typedef {import('faultline').Role} Role
 * @typedef {import('faultline').RuntimeNode} RuntimeNode
 * @typedef {import('faultline').Service} Service
 */

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
/** Debian's etcd-server creates this system user; without it the members run as root. */
const USER = 'etcd';
const MODES = ['linearizable', 'serializable'];

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const b64 = (/** @type {string} */ s) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (/** @type {string} */ s) => Buffer.from(s, 'base64').toString('utf8');

/**
 * POSTs a JSON body to a member's gateway and returns the parsed answer; an error answer ({error, code,
 * message}) or a non-2xx status throws an EtcdError (the request reached etcd).
 * @param {string} url
 * @param {unknown} body
 * @param {AbortSignal} signal
 * @returns {Promise<any>}
 */
async function post(url, body, signal) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
  const text = await res.text();
  /** @type {any} */
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok || (json && json.error !== undefined)) throw new EtcdError(json?.message ?? json?.error ?? `HTTP ${res.status}: ${text.slice(0, 200)}`);
  return json ?? {};
}

/** An error answer from etcd itself (the request was received). */
class EtcdError extends Error {}

/** A one-shot GET of a member's gateway with a short timeout; undefined when it does not answer. */
async function probe(/** @type {string} */ url, timeoutMs = 1000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? /** @type {any} */ (await res.json()) : undefined;
  } catch {
    return undefined;
  }
}

/** One etcd member: its node, its foreground process, and what faults do to it. */
class Member {
  /**
   * @param {RuntimeNode} node
   * @param {string[]} argv
   * @param {string | undefined} user
   */
  constructor(node, argv, user) {
    this.node = node;
    this.argv = argv;
    this.user = user;
    this.dataDir = `${node.dir}/etcd`;
    this.logFile = `${node.dir}/etcd.log`;
    // Where faultline's process reaches the client port (node.endpoint: a published loopback port on Docker
    // Desktop); the member itself listens and advertises on node.ip, where the other members reach it.
    const at = node.endpoint(CLIENT_PORT);
    this.url = `http://${at.host}:${at.port}`;
    /** @type {Service | undefined} */
    this.service = undefined;
    this.paused = false;
    /** etcd's member id (a uint64 as a decimal string), learnt from its status. */
    this.id = '';
  }

  get name() {
    return this.node.name;
  }

  running() {
    return this.service?.running() ?? false;
  }

  async start() {
    if (this.running()) return;
    this.paused = false;
    await this.node.mkdir(this.dataDir, { mode: 0o700, ...(this.user ? { owner: this.user } : {}) });
    this.service = await this.node.spawn({
      name: 'etcd',
      argv: this.argv,
      ...(this.user ? { user: this.user } : {}),
      logFile: this.logFile,
      cwd: this.node.dir,
    });
  }

  /**
   * Until `ok` says yes of what the member answers at path, within timeoutMs; the error names the node and
   * ends with its log.
   * @param {string} path
   * @param {(answer: any) => boolean} ok
   * @param {number} timeoutMs
   */
  async waitFor(path, ok, timeoutMs) {
    const end = Date.now() + timeoutMs;
    /** @type {any} */
    let last;
    for (;;) {
      const svc = this.service;
      if (!svc || !svc.running()) {
        const how = svc ? await svc.exited : undefined;
        throw new Error(
          `${this.name}: etcd exited (${how ? `code ${how.code}, signal ${how.signal}` : 'not started'}); last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      }
      last = await probe(this.url + path);
      if (last !== undefined && ok(last)) return;
      if (Date.now() > end) {
        throw new Error(
          `${this.name}: etcd not ready at ${this.url}${path} after ${timeoutMs} ms (last answer: ${JSON.stringify(last)}); ` +
            `last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      }
      await sleep(50);
    }
  }

  /** Serving: the member has a leader and no alarm (etcd's own /health). */
  waitHealthy(timeoutMs = 30_000) {
    return this.waitFor('/health', (a) => a.health === 'true' || a.health === true, timeoutMs);
  }

  /** Up: the process answers on its client port (it may not have a leader yet: a partitioned member). */
  waitUp(timeoutMs = 20_000) {
    return this.waitFor('/version', (a) => typeof a.etcdserver === 'string', timeoutMs);
  }

  async logTail(lines = 20) {
    try {
      return (await this.node.readFile(this.logFile)).trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** kill -9 through the node (its own PIDs), waiting until the process is gone. */
  async kill() {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    await this.node.signal([svc.pid], 'SIGKILL');
    await svc.exited;
    this.paused = false;
  }

  async pause() {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, etcd is not running`);
    await this.node.signal([svc.pid], 'SIGSTOP');
    this.paused = true;
  }

  async resume() {
    const svc = this.service;
    this.paused = false;
    if (svc && svc.running()) await this.node.signal([svc.pid], 'SIGCONT');
  }

  async stop(graceMs = 3000) {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) await this.resume();
    await svc.stop(graceMs);
  }
}

/**
 * A started etcd cluster. Roles: the member the others follow is the `primary` (etcd's Raft leader, which
 * etcd elects by itself: faultline cannot fail it over), the rest `standby`, a killed one `down`. The leader
 * is polled every 250 ms, since roles() and primary() answer at once.
 * @implements {Db}
 */
class EtcdDb {
  /**
   * @param {Cluster} cluster
   * @param {Member[]} members
   * @param {{ mode: string, reads: ReadRouting, workload: string, version: string, token: string }} o
   */
  constructor(cluster, members, o) {
    this.name = 'etcd';
    this.cluster = cluster;
    this.members = members;
    this.o = o;
    /** @type {string | undefined} the leader's node name, as the last poll saw it */
    this.leader = undefined;
    /** @type {Set<EtcdClient>} */
    this.clients = new Set();
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.timer = undefined;
    /** @type {Promise<void> | undefined} */
    this.tearing = undefined;
  }

  /** @param {string} name */
  member(name) {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`etcd: no node named ${name}`);
    return m;
  }

  /** One round of asking every running member for its status: member ids and the leader of the highest term. */
  async pollLeader() {
    let best = { term: -1, leader: '' };
    await Promise.all(
      this.members.map(async (m) => {
        if (!m.running() || m.paused) return;
        try {
          const s = await post(`${m.url}/v3/maintenance/status`, {}, AbortSignal.timeout(500));
          if (s.header?.member_id) m.id = String(s.header.member_id);
          const term = Number(s.raftTerm ?? 0);
          if (s.leader && s.leader !== '0' && term > best.term) best = { term, leader: String(s.leader) };
        } catch {
          /* a member that does not answer says nothing about the leader */
        }
      }),
    );
    const m = this.members.find((x) => x.id !== '' && x.id === best.leader);
    if (m) this.leader = m.name;
  }

  follow() {
    this.timer = setInterval(() => void this.pollLeader(), 250);
    this.timer.unref();
  }

  /** @returns {Map<string, Role>} */
  roles() {
    return new Map(this.members.map((m) => [m.name, !m.running() ? 'down' : m.name === this.leader ? 'primary' : 'standby']));
  }

  primary() {
    const m = (this.leader && this.members.find((x) => x.name === this.leader && x.running())) || this.members.find((x) => x.running()) || this.members[0];
    return /** @type {Member} */ (m).node;
  }

  /**
   * The member a session talks to: the leader (primary), a follower (replicas) or any member (any), spread
   * over the session numbers. For `primary` it is asked again at each op (the leader moves).
   * @param {number} session
   * @param {ReadRouting} reads
   * @returns {Member}
   */
  target(session, reads) {
    if (reads === 'primary') return this.member(this.primary().name);
    const pool = reads === 'replicas' ? this.members.filter((m) => m.name !== this.leader) : this.members;
    const list = pool.length > 0 ? pool : this.members;
    return /** @type {Member} */ (list[session % list.length]);
  }

  /**
   * @param {number} session
   * @param {{ reads?: ReadRouting }} [opts]
   * @returns {Promise<Client>}
   */
  async client(session, opts = {}) {
    // The final reads (opts.reads given) are linearizable: they read the state the cluster ends in.
    const serializable = this.o.mode === 'serializable' && opts.reads === undefined;
    const c = new EtcdClient(this, session, opts.reads ?? this.o.reads, serializable);
    this.clients.add(c);
    return c;
  }

  /** @param {RuntimeNode} node */
  async kill(node) {
    await this.member(node.name).kill();
  }

  /** Starts a killed member again with the same flags (its data dir brings it back into the cluster). */
  async restart(/** @type {RuntimeNode} */ node) {
    const m = this.member(node.name);
    if (m.running()) return;
    await m.start();
    await m.waitUp();
  }

  /** @param {RuntimeNode} node */
  async pause(node) {
    await this.member(node.name).pause();
  }

  /** @param {RuntimeNode} node */
  async resume(node) {
    await this.member(node.name).resume();
  }

  /** @returns {Promise<never>} */
  async failover() {
    throw new Error('etcd elects its own leader (Raft): there is no failover for faultline to do');
  }

  /** Every member serving (/health: it has a leader, no alarm). */
  async waitHealthy(/** @type {number} */ timeoutMs) {
    await Promise.all(this.members.map((m) => m.waitHealthy(timeoutMs)));
    await this.pollLeader();
  }

  describe() {
    const roles = this.roles();
    return {
      database: 'etcd',
      version: this.o.version,
      nodes: this.members.map((m) => ({ name: m.name, ip: m.node.ip, role: roles.get(m.name), dir: m.dataDir, log: m.logFile, id: m.id })),
      primary: this.leader,
      replication: this.o.mode,
      reads: this.o.reads,
      workload: this.o.workload,
      clusterToken: this.o.token,
      api: 'v3 JSON gateway over HTTP; cas is a txn comparing the value',
    };
  }

  teardown() {
    this.tearing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all(this.members.map((m) => m.stop()));
    })();
    return this.tearing;
  }
}

/** Errors of fetch (its `cause`) that mean the request was never sent: no connection was made. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND']);
/** Answers of etcd that mean a write was refused before it was proposed (no effect). */
const REFUSED = /too many requests|not capable|key is not provided|permission denied|user name is empty/i;

/**
 * One session: register reads, writes and cas on keys r/<k>, to the member the session talks to. A read that
 * does not answer is fail (a read has no effect); a write is fail only when it certainly was not sent (the
 * connection was refused) or etcd refused it before proposing it, else info (a timeout or a reset after
 * sending: it may have been committed).
 * @implements {Client}
 */
class EtcdClient {
  /**
   * @param {EtcdDb} db
   * @param {number} session
   * @param {ReadRouting} reads
   * @param {boolean} serializable
   */
  constructor(db, session, reads, serializable) {
    this.db = db;
    this.session = session;
    this.reads = reads;
    this.serializable = serializable;
    this.closed = new AbortController();
  }

  /**
   * @param {string} f
   * @param {unknown} value
   * @param {number} timeoutMs
   * @returns {Promise<Completion>}
   */
  async invoke(f, value, timeoutMs) {
    const isWrite = f !== 'read';
    /** @type {Member | undefined} */
    let m;
    try {
      m = this.db.target(this.session, this.reads);
      if (!Array.isArray(value) || value.length !== 2) throw new Error(`${f}: expected [key, value], got ${JSON.stringify(value)}`);
      const [k, v] = value;
      const key = b64(`r/${k}`);
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.closed.signal]);
      if (f === 'read') {
        const r = await post(`${m.url}/v3/kv/range`, { key, ...(this.serializable ? { serializable: true } : {}) }, signal);
        const kv = r.kvs?.[0];
        return { type: 'ok', value: [k, kv?.value === undefined ? null : Number(unb64(kv.value))], node: m.name };
      }
      if (f === 'write') {
        await post(`${m.url}/v3/kv/put`, { key, value: b64(String(v)) }, signal);
        return { type: 'ok', value, node: m.name };
      }
      if (f === 'cas') {
        const [from, to] = /** @type {[unknown, unknown]} */ (v);
        const r = await post(
          `${m.url}/v3/kv/txn`,
          {
            compare: [{ key, target: 'VALUE', result: 'EQUAL', value: b64(String(from)) }],
            success: [{ request_put: { key, value: b64(String(to)) } }],
          },
          signal,
        );
        // The gateway leaves out a false `succeeded`.
        return r.succeeded === true ? { type: 'ok', value, node: m.name } : { type: 'fail', value, error: `cas: register ${k} was not ${from}`, node: m.name };
      }
      return { type: 'fail', value, error: `register: unknown op ${f}` };
    } catch (e) {
      const err = /** @type {any} */ (e);
      const code = err?.cause?.code ?? err?.code;
      const certain = !isWrite || (e instanceof EtcdError && REFUSED.test(err.message)) || (typeof code === 'string' && NOT_SENT.has(code));
      const what =
        err?.name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : e instanceof EtcdError
            ? `etcd: ${err.message}`
            : `${code ? `${code}: ` : ''}${err?.cause?.message ?? err?.message ?? String(e)}`;
      return { type: certain ? 'fail' : 'info', value, error: what, ...(m ? { node: m.name } : {}) };
    }
  }

  async close() {
    this.closed.abort();
    this.db.clients.delete(this);
  }
}

/** @type {Adapter} */
const adapter = {
  name: 'etcd',
  description: {
    defaultReplication: 'linearizable',
    clientPort: CLIENT_PORT,
    // Clients connect to node.endpoint(CLIENT_PORT) directly (DbOptions.clientAddress is not honoured), so no proxy packages.
    proxiedLinks: [],
    abilities: [],
    lacks: {
      failover: 'etcd elects its own leader (Raft); there is no primary for faultline to promote',
      clock: 'etcd is a Go program, which reads the clock without libc: libfaketime cannot move it',
    },
  },
  replicationModes: MODES,
  workloads: ['register', 'rw-register'],

  async unavailable(machine) {
    if (!(await machine.which('etcd'))) return "etcd: no etcd on this machine's PATH; install Debian's etcd-server (as root: scripts/setup.sh etcd)";
    return undefined;
  },

  async setup(cluster, opts) {
    if (!MODES.includes(opts.replication)) throw new Error(`etcd: unknown replication mode ${opts.replication}`);
    const first = /** @type {RuntimeNode} */ (cluster.nodes[0]);
    const bin = await first.which('etcd');
    if (!bin) throw new Error(`${first.name}: etcd is not installed there`);
    const user = (await first.exec(['getent', 'passwd', USER]).catch(() => undefined))?.code === 0 ? USER : undefined;
    const version = (await first.exec([bin, '--version']).catch(() => undefined))?.stdout.split('\n')[0]?.replace(/^etcd Version:\s*/, '') ?? 'unknown';
    const token = `faultline-${cluster.runId}`;
    const initial = cluster.nodes.map((n) => `${n.name}=http://${n.ip}:${PEER_PORT}`).join(',');
    const members = cluster.nodes.map(
      (n) =>
        new Member(
          n,
          [
            bin,
            `--name=${n.name}`,
            `--data-dir=${n.dir}/etcd`,
            `--listen-client-urls=http://${n.ip}:${CLIENT_PORT}`,
            `--advertise-client-urls=http://${n.ip}:${CLIENT_PORT}`,
            `--listen-peer-urls=http://${n.ip}:${PEER_PORT}`,
            `--initial-advertise-peer-urls=http://${n.ip}:${PEER_PORT}`,
            `--initial-cluster=${initial}`,
            '--initial-cluster-state=new',
            `--initial-cluster-token=${token}`,
            '--logger=zap',
            '--log-outputs=stderr',
          ],
          user,
        ),
    );
    const db = new EtcdDb(cluster, members, { mode: opts.replication, reads: opts.reads, workload: opts.workload, version, token });
    try {
      // Together: a member of a new cluster waits for the others before it can elect a leader.
      await Promise.all(members.map((m) => m.start()));
      await Promise.all(members.map((m) => m.waitHealthy(30_000)));
      for (let i = 0; i < 40 && !db.leader; i++) {
        await db.pollLeader();
        if (!db.leader) await sleep(50);
      }
    } catch (e) {
      await db.teardown();
      throw e;
    }
    db.follow();
    return db;
  },
};

export default adapter;
