// Starts a real tidings process on a fresh database for an end-to-end test, and
// talks to its admin API. Paths and the database server come from the environment that CTest
// sets: TIDINGS_BIN, TIDINGS_PLUGIN_DIR, TIDINGS_TEST_PG_URL (and TIDINGS_TEST_STORE=sqlite for SQLite).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through ctest (scripts/test)`);
  return value;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export class Tidings {
  static async start({ env = {} } = {}) {
    const t = new Tidings();
    await t.#start(env);
    return t;
  }

  // TIDINGS_TEST_STORE=sqlite: a database file in a temporary directory; otherwise a fresh
  // database on the PostgreSQL server TIDINGS_TEST_PG_URL.
  #createDatabase() {
    if (process.env.TIDINGS_TEST_STORE === 'sqlite') {
      this.sqliteDir = mkdtempSync(join(tmpdir(), 'tidings-e2e-'));
      return `sqlite:${join(this.sqliteDir, 'tidings.db')}`;
    }
    const pgUrl = required('TIDINGS_TEST_PG_URL');
    this.dbName = `e2e_${randomBytes(6).toString('hex')}`;
    execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${this.dbName}`]);
    this.pgUrl = pgUrl;
    return databaseUrl(pgUrl, this.dbName);
  }

  async #start(extraEnv) {
    const dbUrl = this.#createDatabase();
    this.port = await freePort();
    this.root = `http://127.0.0.1:${this.port}`;
    this.adminPassword = randomBytes(12).toString('hex');
    this.auth = 'Basic ' + Buffer.from(`admin:${this.adminPassword}`).toString('base64');
    this.log = '';
    this.proc = spawn(required('TIDINGS_BIN'), [], {
      env: {
        ...process.env,
        TIDINGS_APP__ADDRESS: `127.0.0.1:${this.port}`,
        TIDINGS_APP__ROOT_URL: this.root,
        TIDINGS_DB__URL: dbUrl,
        TIDINGS_PLUGINS__DIR: required('TIDINGS_PLUGIN_DIR'),
        TIDINGS_ADMIN_USER: 'admin',
        TIDINGS_ADMIN_PASSWORD: this.adminPassword,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', (d) => { this.log += d; });
    this.proc.stderr.on('data', (d) => { this.log += d; });
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`tidings exited early:\n${this.log}`);
      try {
        const res = await fetch(`${this.root}/api/health`, { headers: { Authorization: this.auth } });
        if (res.ok) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`tidings did not become healthy:\n${this.log}`);
  }

  async api(method, path, body) {
    const res = await fetch(`${this.root}${path}`, {
      method,
      headers: { Authorization: this.auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return json.data;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
    if (this.dbName) {
      execFileSync('psql', [this.pgUrl, '-qc', `DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`]);
    }
    if (this.sqliteDir) rmSync(this.sqliteDir, { recursive: true, force: true });
  }
}
