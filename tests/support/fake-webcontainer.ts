// A fake of the @webcontainer/api surface the WebContainer host uses, faithful where the host
// depends on it:
// - `WebContainer.boot()` can be told to hang (the real one never settles when its iframe cannot
//   load) or to reject; like the real one, a second boot waits for a pending one and refuses
//   while an instance is alive ("Only a single WebContainer instance can be booted");
// - the file system is a temp folder standing for the workdir, so files a process appends to
//   are visible to `fs.readFile` while it runs, as in a WebContainer;
// - `spawn('node', args)` REALLY runs Node (child_process) in that folder, with only the env it
//   was given; its output is one stream of strings, stdout and stderr merged, with the CRLF line
//   ends of a terminal; `exit` resolves with the exit code; `kill()` ends it.
// Anything else spawned answers like the WebContainer shell: "command not found", exit 127.

import { spawn as spawnChild } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import type { BootOptions, FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import type { WebContainerLike } from '../../sandbox/webcontainer/host.ts';

export interface FakeBootBehaviour {
  /** 'ok' (default), 'hang' (never settles), or 'reject'. */
  boot?: 'ok' | 'hang' | 'reject';
  /** The message a rejecting boot gives. */
  rejectWith?: string;
  /** How long a successful boot takes. */
  bootDelayMs?: number;
}

export interface SpawnRecord {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Killed processes exit with 128 + SIGKILL, as in a Unix shell. */
const KILLED_EXIT_CODE = 137;

class FakeFileSystem {
  readonly #root: string;
  readonly #workdir: string;

  constructor(root: string, workdir: string) {
    this.#root = root;
    this.#workdir = workdir;
  }

  /** Paths are relative to the workdir (or absolute under it), and never leave it. */
  resolve(path: string): string {
    let normal = posix.normalize(path);
    if (normal === this.#workdir || normal.startsWith(`${this.#workdir}/`)) normal = normal.slice(this.#workdir.length);
    const full = join(this.#root, normal.replace(/^\/+/, ''));
    const rel = relative(this.#root, full);
    if (rel.startsWith('..')) throw fsError('EACCES', 'permission denied', path);
    return full;
  }

  async #call<T>(path: string, action: (full: string) => Promise<T>): Promise<T> {
    try {
      return await action(this.resolve(path));
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code && e.message.includes(this.#root)) throw fsError(e.code, e.message.split(',')[0]!.replace(`${e.code}: `, ''), path);
      throw error;
    }
  }

  readFile(path: string, encoding?: null): Promise<Uint8Array>;
  readFile(path: string, encoding: BufferEncoding): Promise<string>;
  readFile(path: string, encoding?: BufferEncoding | null): Promise<Uint8Array | string> {
    return this.#call(path, async (full) => {
      const bytes = await readFile(full);
      return encoding ? bytes.toString(encoding) : new Uint8Array(bytes);
    });
  }

  writeFile(path: string, data: string | Uint8Array): Promise<void> {
    return this.#call(path, (full) => writeFile(full, data));
  }

  mkdir(path: string, options?: { recursive?: false }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<string | void> {
    return this.#call(path, async (full) => {
      await mkdir(full, { recursive: options?.recursive === true });
      return options?.recursive ? path : undefined;
    });
  }

  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void> {
    return this.#call(path, (full) => rm(full, { force: options?.force === true, recursive: options?.recursive === true }));
  }

  readdir(path: string): Promise<string[]> {
    return this.#call(path, (full) => readdir(full));
  }

  rename(from: string, to: string): Promise<void> {
    return this.#call(from, (full) => rename(full, this.resolve(to)));
  }
}

function fsError(code: string, text: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${text}, '${path}'`), { code });
}

/** A string stream that is fed as data arrives and closed once. */
function pushStream(): { stream: ReadableStream<string>; push(chunk: string): void; close(): void } {
  let controller: ReadableStreamDefaultController<string> | undefined;
  const stream = new ReadableStream<string>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    push: (chunk) => controller?.enqueue(chunk),
    close: () => {
      controller?.close();
      controller = undefined;
    },
  };
}

export class FakeWebContainer implements WebContainerLike {
  readonly fs: FakeFileSystem;
  readonly workdir: string;
  /** Every spawn, for assertions. */
  readonly spawned: SpawnRecord[] = [];
  readonly #root: string;
  readonly #children = new Set<ChildProcess>();
  readonly #onTeardown: () => void;
  #tornDown = false;

  constructor(options: { workdirName: string; onTeardown: () => void }) {
    this.#root = mkdtempSync(join(tmpdir(), 'fake-webcontainer-'));
    this.workdir = `/home/${options.workdirName}`;
    this.fs = new FakeFileSystem(this.#root, this.workdir);
    this.#onTeardown = options.onTeardown;
  }

  /** The temp folder standing for the workdir (tests may look inside). */
  get root(): string {
    return this.#root;
  }

  async mount(tree: FileSystemTree, options: { mountPoint?: string } = {}): Promise<void> {
    this.#assertAlive();
    const write = async (dir: string, nodes: FileSystemTree): Promise<void> => {
      await mkdir(dir, { recursive: true });
      for (const [name, node] of Object.entries(nodes)) {
        const path = join(dir, name);
        if ('directory' in node) await write(path, node.directory);
        else if ('symlink' in node.file) await symlink(node.file.symlink, path);
        else await writeFile(path, node.file.contents);
      }
    };
    await write(this.fs.resolve(options.mountPoint ?? '.'), tree);
  }

  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  spawn(command: string, options?: SpawnOptions): Promise<WebContainerProcess>;
  async spawn(command: string, argsOrOptions?: string[] | SpawnOptions, maybeOptions?: SpawnOptions): Promise<WebContainerProcess> {
    this.#assertAlive();
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions) ?? {};
    const env = Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, String(v)]));
    const cwd = options.cwd ?? '.';
    this.spawned.push({ command, args, cwd, env });
    const output = pushStream();
    const terminal = (text: string) => {
      if (options.output !== false) output.push(text.replace(/\r?\n/g, '\r\n'));
    };

    if (command !== 'node') {
      terminal(`jsh: command not found: ${command}\n`);
      output.close();
      return {
        output: output.stream,
        input: new WritableStream<string>(),
        exit: Promise.resolve(127),
        kill() {},
        resize() {},
      };
    }

    const child = spawnChild(process.execPath, args, {
      cwd: this.fs.resolve(cwd),
      env: { HOME: this.#root, PATH: dirname(process.execPath), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    const decoder = new TextDecoder();
    const forward = (chunk: Buffer) => terminal(decoder.decode(chunk, { stream: true }));
    child.stdout!.on('data', forward);
    child.stderr!.on('data', forward);
    child.stdin!.on('error', () => {});
    const exit = new Promise<number>((resolve) => {
      child.on('error', (error) => {
        terminal(`jsh: ${error.message}\n`);
      });
      child.on('close', (code, signal) => {
        this.#children.delete(child);
        output.close();
        resolve(signal ? KILLED_EXIT_CODE : (code ?? 1));
      });
    });
    return {
      output: output.stream,
      input: new WritableStream<string>({
        write(chunk) {
          child.stdin!.write(chunk);
        },
      }),
      exit,
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
      resize() {},
    };
  }

  teardown(): void {
    if (this.#tornDown) return;
    this.#tornDown = true;
    for (const child of this.#children) child.kill('SIGKILL');
    rmSync(this.#root, { recursive: true, force: true });
    this.#onTeardown();
  }

  #assertAlive(): void {
    if (this.#tornDown) throw new Error('WebContainer already torn down');
  }
}

export interface FakeWebContainerApi {
  WebContainer: { boot(options?: BootOptions): Promise<FakeWebContainer> };
  /** How many times boot() was called. */
  readonly boots: number;
  /** The live instance, if one booted. */
  readonly instance: FakeWebContainer | undefined;
}

/** A stand-in for `import('@webcontainer/api')` whose boot behaves as told. */
export function fakeWebContainerApi(behaviour: FakeBootBehaviour = {}): FakeWebContainerApi {
  let instance: FakeWebContainer | undefined;
  let pending: Promise<unknown> | undefined;
  let boots = 0;

  async function unsynchronizedBoot(options: BootOptions): Promise<FakeWebContainer> {
    switch (behaviour.boot ?? 'ok') {
      case 'hang':
        return new Promise<never>(() => {});
      case 'reject':
        throw new Error(behaviour.rejectWith ?? 'Failed to boot WebContainer');
      default:
        if (behaviour.bootDelayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.bootDelayMs));
        return new FakeWebContainer({
          workdirName: options.workdirName ?? 'project',
          onTeardown: () => {
            instance = undefined;
          },
        });
    }
  }

  return {
    WebContainer: {
      async boot(options: BootOptions = {}) {
        boots += 1;
        // Like the real boot: wait for a boot in progress (forever, if it hangs), then refuse a second instance.
        while (pending) await pending;
        if (instance) throw new Error('Only a single WebContainer instance can be booted');
        const booting = unsynchronizedBoot(options);
        pending = booting.catch(() => {});
        try {
          instance = await booting;
          return instance;
        } finally {
          pending = undefined;
        }
      },
    },
    get boots() {
      return boots;
    },
    get instance() {
      return instance;
    },
  };
}
