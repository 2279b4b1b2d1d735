// The WebContainer host: grading sessions as Node processes inside the page's WebContainer.
//
// - boot once per page, with a time limit: `boot()` loads StackBlitz's runtime in an iframe and
//   never settles when it cannot (offline, blocked, not isolated);
// - mount the lab once: its browser bundle, runner.mjs and a package.json asking for Node 22;
// - per session: write the request to a file, `spawn('node', ['runner.mjs', …])`, and read the
//   results file the runner appends to — polled while it runs and once more at exit. The
//   process output is one terminal stream (stdout and stderr merged, ANSI codes): it goes to the
//   terminal panel and is never parsed for results.
//
// Besides grading, the learner gets a folder of their own (named after the lab) and a shell in
// it: their files as they type them, a scratch script, and fake-aws.mjs, which runs a script
// against the lab's fakes (`node fake-aws.mjs scratch.ts`), as they would run it on their
// machine against AWS. Nothing there is graded: grading reads only the lab folder.
//
// Only the parts of the WebContainer API named in WebContainerLike are used, so the real
// instance and tests/support/fake-webcontainer.ts are interchangeable.

import type { BootOptions, FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import type { RunRequest } from '../../grader/protocol.ts';
import type { ExitInfo, Transport, TransportHandlers, TransportSession } from '../supervisor.ts';

export interface WebContainerLike {
  mount(tree: FileSystemTree): Promise<void>;
  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  fs: {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: string): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<string>;
    rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  };
}

/** `typeof import('@webcontainer/api')`, as far as this host needs it. */
export interface WebContainerApi {
  WebContainer: { boot(options?: BootOptions): Promise<WebContainerLike> };
}

export class WebContainerBootError extends Error {
  override name = 'WebContainerBootError';
}

/**
 * One boot per page is the platform's rule (a second boot waits for the first, even one that
 * hangs), so the boot is remembered per API module: a later grader on the same page reuses it.
 */
const boots = new WeakMap<WebContainerApi['WebContainer'], Promise<WebContainerLike>>();

export async function bootWebContainer(
  api: WebContainerApi,
  options: { timeoutMs: number; coep?: BootOptions['coep'] },
): Promise<WebContainerLike> {
  let booting = boots.get(api.WebContainer);
  if (!booting) {
    booting = api.WebContainer.boot({ coep: options.coep ?? 'require-corp', workdirName: 'whetstone' });
    boots.set(api.WebContainer, booting);
    // A boot that failed may be retried later; one still pending may yet succeed.
    booting.catch(() => boots.delete(api.WebContainer));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebContainerBootError(`WebContainer boot timed out after ${seconds} s`)), options.timeoutMs);
  });
  try {
    return await Promise.race([booting, timeout]);
  } catch (error) {
    if (error instanceof WebContainerBootError) throw error;
    throw new WebContainerBootError(`the WebContainer failed to start (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    clearTimeout(timer);
  }
}

export interface LabFiles {
  labId: string;
  /** The lab's browser bundle (catalog/bundle.ts, audience 'browser'). */
  bundleCode: string;
  /** The text of sandbox/webcontainer/runner.mjs. */
  runnerSource: string;
}

/** Mount the lab in a folder of its own and return that folder (the sessions' working directory). */
export async function mountLab(container: WebContainerLike, lab: LabFiles): Promise<string> {
  const dir = `lab-${lab.labId}`;
  const packageJson = {
    name: `whetstone-${lab.labId}`,
    private: true,
    // The WebContainer runs Node 20 unless the package asks for 22 (the AWS SDK wants 22).
    engines: { node: '22' },
  };
  await container.mount({
    [dir]: {
      directory: {
        'package.json': { file: { contents: `${JSON.stringify(packageJson, null, 2)}\n` } },
        'bundle.js': { file: { contents: lab.bundleCode } },
        'runner.mjs': { file: { contents: lab.runnerSource } },
        sessions: { directory: {} },
      },
    },
  });
  return dir;
}

export interface PlaygroundFiles {
  /** The folder mountLab() returned: its bundle is copied into the playground. */
  labDir: string;
  /** The playground's name, shown in the shell's prompt: the lab's id. */
  name: string;
  /** The text of sandbox/webcontainer/fake-aws.mjs. */
  fakeAwsSource: string;
  /** The learner's files and their scratch script, as in the editor. */
  files: Record<string, string>;
}

/** Where fake-aws.mjs finds the lab's bundle, inside the playground. */
export const PLAYGROUND_BUNDLE = '.whetstone/bundle.js';

/** Mount the learner's own folder next to the lab's and return it (the shell's working directory). */
export async function mountPlayground(container: WebContainerLike, playground: PlaygroundFiles): Promise<string> {
  const dir = playground.name;
  const bundle = new TextDecoder().decode(await container.fs.readFile(`${playground.labDir}/bundle.js`));
  const files: FileSystemTree = {};
  for (const [path, text] of Object.entries(playground.files)) files[path] = { file: { contents: text } };
  await container.mount({
    [dir]: {
      directory: {
        ...files,
        'fake-aws.mjs': { file: { contents: playground.fakeAwsSource } },
        // The same Node as the grader's sessions (the AWS SDK wants 22).
        'package.json': { file: { contents: `${JSON.stringify({ name: playground.name, private: true, engines: { node: '22' } }, null, 2)}\n` } },
        '.whetstone': { directory: { 'bundle.js': { file: { contents: bundle } } } },
      },
    },
  });
  return dir;
}

/** Keep a playground file as the learner typed it (called on every edit; the latest write wins). */
export function playgroundWriter(container: WebContainerLike, dir: string): (path: string, text: string) => Promise<void> {
  const queues = new Map<string, Promise<void>>();
  return (path, text) => {
    const previous = queues.get(path) ?? Promise.resolve();
    const write = previous.then(() => container.fs.writeFile(`${dir}/${path}`, text));
    // One failed write does not stop the next; its caller hears of it.
    queues.set(path, write.catch(() => undefined));
    return write;
  };
}

/** An interactive shell (jsh) in the playground, sized for a terminal. */
export function startShell(container: WebContainerLike, dir: string, size: { cols: number; rows: number }): Promise<WebContainerProcess> {
  return container.spawn('jsh', [], { cwd: dir, terminal: size });
}

export interface WebContainerTransportOptions {
  container: WebContainerLike;
  /** The folder mountLab() returned. */
  dir: string;
  /** TZ for the session, as the Node host sets it (labs pick a non-UTC zone on purpose). */
  timeZone: string;
  /** The process output, for a terminal panel. */
  onOutput?: (chunk: string) => void;
  /** How often the results file is read while a session runs. */
  pollMs?: number;
  /** Characters of output after which the session is stopped. */
  outputCap?: number;
}

export interface WebContainerTransport extends Transport {
  /**
   * Resolves once every session started so far is over: its output forwarded to `onOutput`
   * (which needs its process to have ended) and its session files removed.
   */
  settled(): Promise<void>;
}

const NEWLINE = 10;
const SESSION_FAILED = 70;
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function webContainerTransport(options: WebContainerTransportOptions): WebContainerTransport {
  const { container, dir } = options;
  const pollMs = options.pollMs ?? 50;
  const outputCap = options.outputCap ?? 1024 * 1024;
  // Several graders may share a lab folder (one per page visit): a random prefix keeps their
  // session files apart; the counter keeps this grader's apart.
  const prefix = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
  let sessions = 0;
  const unsettled = new Set<Promise<void>>();

  return {
    start(handlers: TransportHandlers): TransportSession {
      const name = `sessions/${prefix}-${++sessions}`;
      const requestFile = `${name}.request.json`;
      const resultsFile = `${name}.results.jsonl`;
      let child: WebContainerProcess | undefined;
      let over = false;
      let offset = 0;
      let fatal: string | undefined;
      let outputLength = 0;
      let outputTail = '';
      let killedFor: ExitInfo['kind'] | undefined;
      const decoder = new TextDecoder();
      let forwarded: Promise<void> = Promise.resolve();

      const cleanUp = async () => {
        await Promise.all([requestFile, resultsFile].map((file) => container.fs.rm(`${dir}/${file}`, { force: true }).catch(() => {})));
      };
      const stop = (reason?: ExitInfo['kind']) => {
        if (reason && !killedFor) killedFor = reason;
        if (!reason) over = true;
        child?.kill();
      };
      const end = (info: ExitInfo) => {
        if (over) return;
        over = true;
        handlers.exit(info);
      };

      /** Forward every complete line the runner has appended since the last read. */
      const drain = async () => {
        let bytes: Uint8Array;
        try {
          bytes = await container.fs.readFile(`${dir}/${resultsFile}`);
        } catch {
          return;
        }
        const last = bytes.lastIndexOf(NEWLINE);
        if (last < offset) return;
        const text = decoder.decode(bytes.subarray(offset, last + 1));
        offset = last + 1;
        for (const line of text.split('\n')) {
          if (!line || over) continue;
          let message: unknown;
          try {
            message = JSON.parse(line);
          } catch {
            continue;
          }
          const fatalDetail = (message as { fatal?: unknown } | null)?.fatal;
          if (typeof fatalDetail === 'string') fatal = fatalDetail;
          else handlers.message(message);
        }
      };

      const watchOutput = (chunk: string) => {
        options.onOutput?.(chunk);
        outputLength += chunk.length;
        outputTail = (outputTail + chunk).slice(-4096);
        if (outputLength > outputCap) stop('output-limit');
      };

      const exitInfo = (code: number): ExitInfo => {
        if (killedFor) return { kind: killedFor, code };
        const tail = outputTail.replace(ANSI, '');
        if (/heap out of memory|Reached heap limit|Allocation failed/i.test(tail)) return { kind: 'memory', code };
        if (code === SESSION_FAILED) {
          return { kind: 'crash', code, detail: fatal ?? tail.trim().split('\n').pop()?.trim() ?? 'the runner failed' };
        }
        return { kind: 'exit', code };
      };

      const run = async (request: RunRequest) => {
        await container.fs.writeFile(`${dir}/${requestFile}`, JSON.stringify(request));
        await container.fs.writeFile(`${dir}/${resultsFile}`, '');
        if (over) return;
        child = await container.spawn('node', ['runner.mjs', requestFile, resultsFile], {
          cwd: dir,
          env: { TZ: options.timeZone },
          terminal: { cols: 100, rows: 30 },
        });
        if (over) {
          child.kill();
          return;
        }
        forwarded = child.output.pipeTo(new WritableStream({ write: watchOutput })).catch(() => {});
        let exited: number | undefined;
        const exit = child.exit.then(
          (code) => (exited = code),
          () => (exited = -1),
        );
        while (exited === undefined && !over) {
          await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, pollMs))]);
          await drain();
        }
        if (over) return;
        await drain();
        end(exitInfo(exited ?? -1));
      };

      return {
        send(request: RunRequest) {
          const settling = run(request)
            .catch((error: unknown) =>
              end({ kind: 'crash', detail: `the WebContainer could not run the grader (${error instanceof Error ? error.message : String(error)})` }),
            )
            .then(cleanUp)
            .then(() => forwarded);
          unsettled.add(settling);
          void settling.then(() => unsettled.delete(settling));
        },
        kill: () => stop(),
      };
    },
    async settled() {
      while (unsettled.size) await Promise.all(unsettled);
    },
  };
}
