// The WebContainer's terminal: what the WebContainer is for besides grading. A shell (jsh) in a
// folder of the learner's own, holding their files as they type them, their scratch script and
// fake-aws.mjs, so `node fake-aws.mjs scratch.ts` runs their code against the lab's fakes as
// they would run it against AWS on their machine. xterm and its stylesheet load only here.

import type { MountedWebContainer } from '../../sandbox/browser.ts';
import { mountPlayground, playgroundWriter, startShell } from '../../sandbox/webcontainer/host.ts';

export interface PlaygroundTerminal {
  /** Keep a file of the playground as the learner typed it. */
  sync(path: string, text: string): void;
}

export interface TerminalOptions {
  host: HTMLElement;
  mounted: MountedWebContainer;
  /** The playground's folder name: the lab's id. */
  name: string;
  fakeAwsUrl: string;
  /** The learner's files and their scratch script. */
  files: Record<string, string>;
  scratchPath: string;
  /** A file could not be written into the WebContainer. */
  onSyncError(path: string, error: unknown): void;
}

const ROWS = 14;
const FONT_SIZE = 13;

/** Columns that fit the host: xterm's cells are about 0.6 em wide in a monospace font. */
function columnsFor(host: HTMLElement): number {
  return Math.max(40, Math.floor((host.clientWidth - 16) / (FONT_SIZE * 0.6)));
}

export async function openTerminal(options: TerminalOptions): Promise<PlaygroundTerminal> {
  const { container, dir: labDir } = options.mounted;
  const [fakeAwsSource, { Terminal }, { default: css }] = await Promise.all([
    fetch(options.fakeAwsUrl).then((response) => {
      if (!response.ok) throw new Error(`fake-aws.mjs could not be downloaded (HTTP ${response.status})`);
      return response.text();
    }),
    import('@xterm/xterm'),
    import('@xterm/xterm/css/xterm.css?inline'),
  ]);
  const dir = await mountPlayground(container, { labDir, name: options.name, fakeAwsSource, files: options.files });
  const write = playgroundWriter(container, dir);

  // Injected now rather than linked by the page: most pages never show a terminal.
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  options.host.hidden = false;
  const term = new Terminal({ rows: ROWS, cols: columnsFor(options.host), fontSize: FONT_SIZE, scrollback: 5000, convertEol: false });
  term.open(options.host);
  term.write(
    `Your files are in ~/${dir}, kept as you type. Run your own code against this lab's fake AWS:\r\n` +
      `  \u001b[1mnode fake-aws.mjs ${options.scratchPath}\u001b[22m   (edit ${options.scratchPath} in its tab above; it is not graded)\r\n\r\n`,
  );
  const shell = await startShell(container, dir, { cols: term.cols, rows: term.rows });
  void shell.output.pipeTo(new WritableStream({ write: (chunk) => term.write(chunk) })).catch(() => undefined);
  const input = shell.input.getWriter();
  term.onData((data) => void input.write(data).catch(() => undefined));
  new ResizeObserver(() => {
    const cols = columnsFor(options.host);
    if (cols === term.cols) return;
    term.resize(cols, ROWS);
    shell.resize({ cols, rows: ROWS });
  }).observe(options.host);

  return {
    sync(path, text) {
      write(path, text).catch((error: unknown) => options.onSyncError(path, error));
    },
  };
}
