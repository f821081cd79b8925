import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const REPO = resolve(import.meta.dirname, '..', '..');
const HOTLINE = join(REPO, '.venv', 'bin', 'hotline');
/** The county hotline left out of the e2e catalogue, so that the province admin can open it in the walk. */
export const UNOPENED_COUNTY = '320117';

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        done(port);
      });
    });
  });
}

/** The demo catalogue less one county hotline (溧水区), in a folder of its own. */
async function catalogue(into: string): Promise<string> {
  const dir = join(into, 'tenants');
  await cp(join(REPO, 'tenants'), dir, { recursive: true });
  const file = join(dir, '320000-jiangsu.yaml');
  const text = await readFile(file, 'utf8');
  const block = new RegExp(`^- code: '${UNOPENED_COUNTY}'\\n(?: .*\\n)*`, 'm');
  if (!block.test(text)) throw new Error(`tenant ${UNOPENED_COUNTY} not found in the catalogue: update e2e/global-setup.ts`);
  await writeFile(file, text.replace(block, ''));
  return dir;
}

async function waitReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the backend exited (${server.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the backend did not become ready in time:\n${log()}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(tmpdir(), 'lianxin-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const started = Date.now();
  const server = spawn(HOTLINE, ['run', '--catalogue', await catalogue(work)], {
    cwd: REPO,
    detached: true, // its own process group, so that teardown stops the backend and its workers
    env: {
      ...process.env,
      HOTLINE_PORT: String(port),
      HOTLINE_DATA_DIR: join(work, 'data'),
      HOTLINE_COOKIE_SECURE: '0',
      HOTLINE_LOCKOUT_ATTEMPTS: '3',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const teardown = async (): Promise<void> => {
    await stopBackend(server);
    await stopPostgres(join(work, 'data', 'pg'));
    server.stdout.destroy();
    server.stderr.destroy();
    await rm(work, { recursive: true, force: true });
  };
  try {
    await waitReady(url, server, () => output);
    const index = await fetch(`${url}/`);
    if (!index.ok || !(await index.text()).includes('id="root"')) {
      throw new Error('the backend does not serve the built console at / (run `npm run build` first)');
    }
  } catch (error) {
    await teardown(); // nothing of a failed start is left running
    throw error;
  }
  console.log(`backend ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('baseURL', url);
  return teardown;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopBackend(server: ChildProcess): Promise<void> {
  const pid = server.pid;
  if (pid !== undefined && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timeout = new Promise((r) => setTimeout(r, 15_000));
    await Promise.race([exited, timeout]);
    if ((server.exitCode as number | null) === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * The embedded PostgreSQL runs in a session of its own (pg_ctl detaches it), so the process-group
 * signal does not reach it; the backend stops it on a clean exit. If it is still up (the backend
 * crashed or was killed), stop it by the pid in its own postmaster.pid, and nothing else.
 */
async function stopPostgres(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return; // never started, or already stopped cleanly
  }
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 40 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 250));
}
