// The workspace of a lab page: the learner's files (a plain text editor at once, Monaco when it
// has loaded), saved on every edit; Run checks, with results as they arrive and the last report
// kept; export, import, reset and the solution; the WebContainer's terminal where it is up. The
// grader starts when the page opens (a Worker at once, the WebContainer in the background);
// Monaco and the terminal are loaded only when needed.

import type { Report } from '../../grader/report.ts';
import type { BrowserGrader } from '../../sandbox/browser.ts';
import type { CodeEditor } from './editor.ts';
import { confirmDialog } from './dialogs.ts';
import { Grading, RunCancelled, sessionBootMemory } from './grading.ts';
import type { LabPageConfig } from './lab-config.ts';
import { lineDiff } from './line-diff.ts';
import { progressOf } from './progress.ts';
import { ResultsView } from './results-view.ts';
import { filesDigest, loadSettings, saveSettings } from './saved-work.ts';
import type { SavedWork, Settings } from './saved-work.ts';
import type { StepGuide } from './steps.ts';
import { declaredFontUrls } from './offline.ts';
import type { OfflineState } from './offline.ts';
import type { PlaygroundTerminal } from './terminal.ts';
// Zips are made and read only on request: fflate stays out of the page's first script.
const submissionZip = () => import('./submission-zip.ts');

interface Elements {
  root: HTMLElement;
  tabs: HTMLButtonElement[];
  plain: HTMLTextAreaElement;
  codeHost: HTMLElement;
  run: HTMLButtonElement;
  stop: HTMLButtonElement;
  saveStatus: HTMLElement;
  editorStatus: HTMLElement;
  engineStatus: HTMLElement;
  offlineStatus: HTMLElement;
  announcer: HTMLElement;
  results: HTMLElement;
  terminal: HTMLElement;
  terminalNote: HTMLElement;
  terminalHost: HTMLElement;
  importFile: HTMLInputElement;
  menu: HTMLDetailsElement | null;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The lab page is missing #${id}.`);
  return element as T;
}

function elements(root: HTMLElement): Elements {
  return {
    root,
    tabs: [...root.querySelectorAll<HTMLButtonElement>('[data-file-tab]')],
    plain: byId('plain-editor'),
    codeHost: byId('code-editor'),
    run: byId('run-checks'),
    stop: byId('stop-run'),
    saveStatus: byId('save-status'),
    editorStatus: byId('editor-status'),
    engineStatus: byId('engine-status'),
    offlineStatus: byId('offline-status'),
    announcer: byId('ws-announcer'),
    results: byId('results-body'),
    terminal: byId('terminal'),
    terminalNote: byId('terminal-note'),
    terminalHost: byId('terminal-host'),
    importFile: byId('import-file'),
    menu: root.querySelector<HTMLDetailsElement>('details.ws-menu'),
  };
}

/** Marks for tests and measurements: `performance.getEntriesByName('whetstone:editor-ready')`. */
function mark(name: string, detail?: Record<string, unknown>): void {
  performance.mark(`whetstone:${name}`, detail ? { detail } : undefined);
}

/** The elements a keyboard user can move to, in page order. */
function focusable(): HTMLElement[] {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const folded = (e: HTMLElement) => {
    // Inside a closed <details>, only its summary can take focus.
    const details = e.parentElement?.closest('details:not([open])');
    return details !== null && details !== undefined && !(e.tagName === 'SUMMARY' && e.parentElement === details);
  };
  return [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => !e.hidden && e.tabIndex >= 0 && e.getClientRects().length > 0 && !folded(e));
}

export interface WorkspaceOptions {
  /** sessionStorage, where a failed WebContainer boot is remembered for the tab. */
  session?: Storage | undefined;
  /** Add files to the offline copy (the editor's worker scripts, once it loads). */
  keepOffline?: (urls: readonly string[]) => void;
}

export function setUpWorkspace(config: LabPageConfig, saved: SavedWork, storage: Storage | undefined, guide: StepGuide, options: WorkspaceOptions = {}): {
  /** Say how far keeping the lab for offline use got. */
  showOffline(state: OfflineState): void;
} {
  const ui = elements(byId('workspace'));
  const paths = config.files.map((f) => f.path);
  const scratchPath = config.scratch.path;
  const starters = Object.fromEntries([...config.files.map((f) => [f.path, f.starter] as const), [scratchPath, config.scratch.starter] as const]);
  const files: Record<string, string> = {};
  for (const path of [...paths, scratchPath]) files[path] = saved.file(path) ?? starters[path]!;
  /** What is graded and exported: the lab's files, never the scratch script. */
  const graded = (): Record<string, string> => Object.fromEntries(paths.map((path) => [path, files[path]!]));
  const scratchTab = ui.tabs.find((tab) => tab.dataset.scratch !== undefined);
  let active = paths[0]!;
  let settings: Settings = loadSettings(storage, matchMedia('(pointer: coarse)').matches && !matchMedia('(pointer: fine)').matches);
  let editor: CodeEditor | undefined;
  let editorLoading: Promise<void> | undefined;
  let storageOk = true;
  const gradable = config.checks.length > 0;

  const announce = (message: string) => {
    // Same text twice must still be spoken: clear first.
    ui.announcer.textContent = '';
    requestAnimationFrame(() => (ui.announcer.textContent = message));
  };

  // ----- files and saving -------------------------------------------------------------------

  const showSaveStatus = () => {
    ui.saveStatus.textContent = storageOk
      ? 'Saved in this browser as you type.'
      : 'Not saved: this browser refuses to store your work. Export a zip to keep it.';
    ui.saveStatus.classList.toggle('warning', !storageOk);
  };

  let playground: PlaygroundTerminal | undefined;
  const grading = new Grading({
    config,
    settings: () => settings,
    bootMemory: sessionBootMemory(options.session),
    onEngineChange: (grader) => showEngine(grader),
  });

  const edit = (path: string, text: string) => {
    if (files[path] === text) return;
    files[path] = text;
    playground?.sync(path, text);
    const ok = saved.saveFile(path, text);
    if (ok !== storageOk) {
      storageOk = ok;
      showSaveStatus();
      if (!ok) announce(ui.saveStatus.textContent ?? '');
    }
  };

  ui.plain.value = files[active]!;
  ui.plain.addEventListener('input', () => edit(active, ui.plain.value));
  showSaveStatus();

  const setText = (path: string, text: string) => {
    if (editor) editor.setText(path, text);
    edit(path, text);
    if (path === active) ui.plain.value = text;
  };

  // ----- tabs (arrow keys move between files, as in any tab list) ---------------------------

  const selectTab = (path: string, focus: boolean) => {
    active = path;
    for (const tab of ui.tabs) {
      const selected = tab.dataset.fileTab === path;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
    ui.plain.value = files[path]!;
    ui.plain.setAttribute('aria-label', `${path} (plain text editor)`);
    editor?.setActive(path);
  };
  for (const tab of ui.tabs) {
    tab.addEventListener('click', () => selectTab(tab.dataset.fileTab!, false));
    tab.addEventListener('keydown', (event) => {
      const shown = ui.tabs.filter((t) => !t.hidden);
      const i = shown.indexOf(tab);
      const next = event.key === 'ArrowRight' ? i + 1 : event.key === 'ArrowLeft' ? i - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? shown.length - 1 : undefined;
      if (next === undefined) return;
      event.preventDefault();
      const target = shown[(next + shown.length) % shown.length]!;
      selectTab(target.dataset.fileTab!, true);
    });
  }

  // ----- the code editor --------------------------------------------------------------------

  const loadCodeEditor = (): Promise<void> => {
    if (settings.editor === 'plain') return Promise.resolve();
    editorLoading ??= (async () => {
      mark('editor-requested');
      ui.editorStatus.textContent = 'Loading the code editor… You can type here meanwhile.';
      try {
        const { EDITOR_WORKER_URLS, createCodeEditor } = await import('./editor.ts');
        // The editor's style sheet is in once its module is: its font comes with the workers.
        options.keepOffline?.([...EDITOR_WORKER_URLS, ...declaredFontUrls()]);
        const hadFocus = document.activeElement === ui.plain;
        const cursor = ui.plain.selectionStart;
        ui.codeHost.hidden = false;
        editor = createCodeEditor({
          host: ui.codeHost,
          files: { ...files },
          active,
          types: config.types,
          onChange: edit,
          onRun: () => void run(),
          onLeave: (direction) => {
            const all = focusable().filter((e) => !ui.codeHost.contains(e));
            const after = all.find((e) => ui.codeHost.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
            const before = all.filter((e) => ui.codeHost.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING).at(-1);
            // Nothing to take focus after the editor before a run: the results, which come next, do.
            (direction === 'forward' ? (after ?? ui.results.parentElement) : before)?.focus();
          },
          onTypes: (outcome) => {
            if (outcome.ok) mark('types-ready');
            else ui.editorStatus.textContent = `Code editor ready, without the AWS SDK's types (${outcome.message}): completion is limited.`;
          },
        });
        ui.plain.hidden = true;
        ui.root.dataset.editor = 'code';
        if (hadFocus) {
          editor.focus();
          editor.setCursorOffset(cursor);
        }
        ui.editorStatus.textContent = 'Ctrl+Enter runs the checks. Tab indents; Esc then Tab leaves the editor.';
        mark('editor-ready');
      } catch (error) {
        ui.codeHost.hidden = true;
        ui.plain.hidden = false;
        editorLoading = undefined;
        ui.editorStatus.textContent = `The code editor could not load (${error instanceof Error ? error.message : String(error)}); the plain editor works, and your work is saved.`;
      }
    })();
    return editorLoading;
  };

  const unloadCodeEditor = () => {
    editor?.dispose();
    editor = undefined;
    editorLoading = undefined;
    ui.codeHost.hidden = true;
    ui.codeHost.replaceChildren();
    ui.plain.hidden = false;
    ui.plain.value = files[active]!;
    ui.root.dataset.editor = 'plain';
    ui.editorStatus.textContent = 'Plain text editor (see Settings). Ctrl+Enter runs the checks.';
  };

  if (settings.editor === 'plain') {
    unloadCodeEditor();
  } else {
    // Load once the workspace is on screen (at once on a laptop; on a phone when scrolled to),
    // or as soon as the learner starts typing in the plain editor.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        void loadCodeEditor();
      }
    });
    observer.observe(ui.plain);
    ui.plain.addEventListener('focus', () => void loadCodeEditor(), { once: true });
  }

  const jumpTo = (path: string, line: number, column?: number, message?: string) => {
    if (!paths.includes(path)) return;
    selectTab(path, false);
    if (editor) {
      editor.reveal(path, { line, ...(column ? { column } : {}) }, message);
      return;
    }
    // Plain editor: select the line.
    const lines = files[path]!.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    ui.plain.focus();
    ui.plain.setSelectionRange(start + Math.max(0, (column ?? 1) - 1), start + (lines[line - 1]?.length ?? 0));
  };

  // ----- running the checks -----------------------------------------------------------------

  const view = new ResultsView({
    root: ui.results,
    checks: config.checks,
    steps: config.steps,
    files: paths,
    onJump: (file, line, column) => jumpTo(file, line, column),
  });
  if (!gradable) {
    ui.run.disabled = true;
    view.abandon(`This lab cannot be graded here yet: ${config.gradingProblem ?? 'it has no checks.'}`, 'failed');
  }
  const done = saved.progress()?.stepsDone;
  if (done) guide.markDone(done);
  // The last report, as it was, marked with when it ran.
  const kept = gradable ? saved.lastRun() : undefined;
  if (kept) {
    view.finish(kept.report, { tookMs: kept.tookMs, ranAt: new Date(kept.ranAt), stale: kept.filesDigest !== filesDigest(graded()), slim: kept.slim === true });
  }

  const finish = (report: Report, tookMs: number, waitMs: number) => {
    view.finish(report, { tookMs, waitMs });
    // On a phone the results are below the editor: bring the verdict into view.
    ui.results.querySelector('.results-summary')?.scrollIntoView({ block: 'nearest' });
    const ranAt = new Date();
    const progress = progressOf(report, config.steps.length, ranAt);
    saved.saveProgress(progress);
    saved.saveRun({ report, ranAt: ranAt.toISOString(), tookMs: Math.round(tookMs), filesDigest: filesDigest(graded()) });
    guide.markDone(progress.stepsDone);
    announce(ui.results.querySelector('.score-line')?.textContent ?? 'The checks finished.');
    const error = report.error;
    if (error?.file && error.line && paths.includes(error.file)) {
      jumpTo(error.file, error.line, error.column, error.message);
    }
  };

  async function run(): Promise<void> {
    if (!gradable) return;
    editor?.clearMarks();
    ui.stop.hidden = false;
    ui.root.dataset.running = 'true';
    view.start('Starting the grader…');
    mark('run-start');
    let firstResult = true;
    const current = grading.run(graded(), {
      onResult: (result) => {
        if (firstResult) mark('first-result');
        firstResult = false;
        view.update(result);
      },
      onEngine: (grader) => view.progress(`${grader.reason} Running ${config.checks.length} checks…`),
    });
    try {
      const report = await current.report;
      const { totalMs, waitMs } = await current.timing;
      const ms = Math.round(totalMs);
      mark('run-end', { ms, engine: report.engine });
      ui.root.dataset.lastRunMs = String(ms);
      finish(report, totalMs, waitMs);
    } catch (error) {
      if (error instanceof RunCancelled) {
        view.abandon('Stopped. Run the checks again when you are ready.', 'cancelled');
      } else {
        view.abandon(`The checks could not run: ${error instanceof Error ? error.message : String(error)}`, 'failed');
      }
    } finally {
      if (!grading.running) {
        ui.stop.hidden = true;
        delete ui.root.dataset.running;
      }
    }
  }

  ui.run.addEventListener('click', () => void run());
  ui.stop.addEventListener('click', () => grading.cancel());
  ui.plain.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 's' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      announce(storageOk ? 'Your work is saved as you type; nothing else to do.' : ui.saveStatus.textContent ?? '');
    }
  });

  // ----- engine and terminal ------------------------------------------------------------------

  let terminalOpened = false;
  /** Where the engine stands, once in the status line; the terminal where the WebContainer is up. */
  function showEngine(grader: BrowserGrader): void {
    ui.engineStatus.textContent = grader.booting
      ? 'Checks run in a Worker while the WebContainer starts.'
      : grader.engine === 'webcontainer'
        ? 'Checks run in the WebContainer.'
        : 'Checks run in a Worker.';
    // The whole reason is one hover away here, and in every report.
    ui.engineStatus.title = grader.reason;
    ui.root.dataset.engine = grader.booting ? 'starting' : grader.engine;
    const mounted = grader.webContainer;
    if (!grader.booting && !mounted && !terminalOpened) {
      // Said once, where the terminal would be; the lab works the same on the Worker.
      ui.terminal.hidden = false;
      const why = grader.reason.replace(/^Running in a Worker(?:: |, )/, '').replace(/\.$/, '');
      ui.terminalNote.textContent = `The terminal needs the WebContainer, which is not running here (${why}). The checks run the same in a Worker.`;
      mark('terminal-unavailable');
      return;
    }
    if (!mounted || terminalOpened) return;
    terminalOpened = true;
    ui.terminal.hidden = false;
    ui.terminalNote.textContent = 'Starting a shell in the WebContainer…';
    if (scratchTab) scratchTab.hidden = false;
    void import('./terminal.ts')
      .then(({ openTerminal }) =>
        openTerminal({
          host: ui.terminalHost,
          mounted,
          name: config.lab,
          fakeAwsUrl: config.fakeAwsUrl,
          files: { ...files },
          scratchPath,
          onSyncError: (path, error) => {
            ui.terminalNote.textContent = `${path} could not be written into the WebContainer (${error instanceof Error ? error.message : String(error)}): the terminal may run an older copy.`;
          },
        }),
      )
      .then((terminal) => {
        playground = terminal;
        ui.terminalNote.textContent = 'Node.js in this page, in a folder with your files.';
        mark('terminal-ready');
      })
      .catch((error: unknown) => {
        ui.terminalNote.textContent = `The terminal could not start (${error instanceof Error ? error.message : String(error)}); the checks still run.`;
      });
  }

  if (gradable) {
    // Start grading now (a Worker loads the lab, the WebContainer boots in the background), so
    // the first "Run checks" never waits for either; after the page's own work is done.
    const start = () => showEngine(grading.prepare());
    if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 1500 });
    else setTimeout(start, 200);
  }

  // ----- menu: export, import, reset, solution, settings ---------------------------------------

  const closeMenu = () => ui.menu?.removeAttribute('open');
  // The menu is a <details>: close it on a click elsewhere, and on Escape (focus back on "More").
  document.addEventListener('click', (event) => {
    if (ui.menu?.open && !ui.menu.contains(event.target as Node)) closeMenu();
  });
  ui.menu?.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !ui.menu?.open) return;
    closeMenu();
    ui.menu.querySelector('summary')?.focus();
  });
  // Opening it puts the first action under the keyboard.
  ui.menu?.addEventListener('toggle', () => {
    if (ui.menu?.open && ui.menu.matches(':focus-within')) ui.menu.querySelector<HTMLButtonElement>('.menu-panel button')?.focus();
  });

  byId('export-zip').addEventListener('click', async () => {
    closeMenu();
    const { exportFileName, exportSubmission } = await submissionZip();
    const now = new Date();
    const blob = new Blob([exportSubmission(config.lab, graded(), now) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = exportFileName(config.lab, now);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    announce(`Exported ${link.download}: grade it with whetstone grade --lab ${config.lab} ${link.download}`);
  });

  byId('import-zip').addEventListener('click', () => {
    closeMenu();
    ui.importFile.value = '';
    ui.importFile.click();
  });
  ui.importFile.addEventListener('change', async () => {
    const file = ui.importFile.files?.[0];
    if (!file) return;
    const { SubmissionZipError, importSubmission } = await submissionZip();
    try {
      const imported = importSubmission(new Uint8Array(await file.arrayBuffer()), paths);
      if (imported.lab && imported.lab !== config.lab) {
        throw new SubmissionZipError(`${file.name} was exported from the lab '${imported.lab}', not from this one ('${config.lab}').`);
      }
      const names = Object.keys(imported.files);
      const ok = await confirmDialog({
        title: `Import ${file.name}?`,
        body: `Your ${names.join(', ')} will be replaced by the version${names.length > 1 ? 's' : ''} in the zip.${
          imported.missing.length ? ` ${imported.missing.join(', ')} stay${imported.missing.length > 1 ? '' : 's'} as ${imported.missing.length > 1 ? 'they are' : 'it is'}.` : ''
        }${imported.ignored.length ? ` Ignored (not files of this lab): ${imported.ignored.join(', ')}.` : ''} You can undo in the code editor with Ctrl+Z.`,
        confirm: 'Replace my code',
        tone: 'danger',
      });
      if (!ok) return;
      for (const [path, text] of Object.entries(imported.files)) setText(path, text);
      announce(`Imported ${names.join(', ')} from ${file.name}.`);
    } catch (error) {
      const message = error instanceof SubmissionZipError ? error.message : `Could not import ${file.name}: ${(error as Error).message}`;
      await confirmDialog({ title: 'Nothing was imported', body: message, confirm: 'OK', cancel: 'Close' });
    }
  });

  byId('reset-starter').addEventListener('click', async () => {
    closeMenu();
    const ok = await confirmDialog({
      title: 'Reset to the starter code?',
      body: `Your ${paths.join(', ')} will be replaced by the starter code of this lab. Export a zip first if you want to keep your version. (In the code editor, Ctrl+Z takes the reset back.)`,
      confirm: 'Reset my code',
      tone: 'danger',
    });
    if (!ok) return;
    for (const path of paths) setText(path, starters[path]!);
    saved.clearFiles(paths);
    announce('Your code is back to the starter.');
  });

  const solutionButton = document.getElementById('show-solution');
  solutionButton?.addEventListener('click', async () => {
    closeMenu();
    if (!config.solutionUrl) return;
    const ok = await confirmDialog({
      title: 'Show the solution?',
      body: 'You will see the reference solution next to your code. Working it out yourself is how it sticks: maybe try another hint first?',
      confirm: 'Show the solution',
      cancel: 'Not yet',
    });
    if (!ok) return;
    try {
      const response = await fetch(config.solutionUrl);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { files: solution } = (await response.json()) as { files: Record<string, string> };
      await showSolution(solution);
    } catch (error) {
      await confirmDialog({ title: 'The solution could not be loaded', body: `${(error as Error).message}. Are you offline?`, confirm: 'OK', cancel: 'Close' });
    }
  });

  async function showSolution(solution: Record<string, string>): Promise<void> {
    const dialog = byId<HTMLDialogElement>('solution-dialog');
    const host = byId('solution-host');
    const picker = byId<HTMLSelectElement>('solution-file');
    picker.replaceChildren(...paths.map((p) => new Option(p, p, p === active, p === active)));
    picker.parentElement!.hidden = paths.length < 2;
    if (settings.editor === 'code') await loadCodeEditor();
    let disposeDiff: (() => void) | undefined;
    const render = () => {
      disposeDiff?.();
      host.replaceChildren();
      const path = picker.value;
      const theirs = solution[path] ?? '';
      if (editor) {
        const diff = editor.showDiff(host, path, theirs, innerWidth >= 900);
        disposeDiff = () => diff.dispose();
      } else {
        const pre = document.createElement('pre');
        pre.className = 'plain-diff';
        for (const line of lineDiff(files[path]!, theirs)) {
          const row = document.createElement('span');
          row.className = `diff-${line.kind}`;
          row.textContent = `${line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}${line.text}\n`;
          pre.append(row);
        }
        host.append(pre);
        disposeDiff = undefined;
      }
    };
    picker.onchange = render;
    dialog.addEventListener(
      'close',
      () => {
        disposeDiff?.();
        host.replaceChildren();
      },
      { once: true },
    );
    dialog.showModal();
    render();
  }

  const settingsDialog = byId<HTMLDialogElement>('settings-dialog');
  const settingsForm = settingsDialog.querySelector('form')!;
  byId('open-settings').addEventListener('click', () => {
    closeMenu();
    (settingsForm.elements.namedItem('engine') as RadioNodeList).value = settings.engine;
    (settingsForm.elements.namedItem('editor') as RadioNodeList).value = settings.editor;
    (settingsForm.elements.namedItem('bootSeconds') as HTMLInputElement).value = String(Math.round(settings.bootTimeoutMs / 1000));
    settingsDialog.showModal();
  });
  settingsForm.addEventListener('submit', (event) => {
    if ((event.submitter as HTMLButtonElement | null)?.value !== 'save') return;
    const data = new FormData(settingsForm);
    const next: Settings = {
      engine: data.get('engine') === 'worker' ? 'worker' : 'auto',
      editor: data.get('editor') === 'plain' ? 'plain' : 'code',
      bootTimeoutMs: Math.min(120, Math.max(1, Number(data.get('bootSeconds')) || 20)) * 1000,
    };
    const editorChanged = next.editor !== settings.editor;
    const engineChanged = next.engine !== settings.engine || next.bootTimeoutMs !== settings.bootTimeoutMs;
    settings = next;
    saveSettings(storage, settings);
    if (engineChanged && gradable) showEngine(grading.prepare());
    if (editorChanged) {
      if (settings.editor === 'plain') unloadCodeEditor();
      else void loadCodeEditor();
    }
    announce('Settings saved.');
  });

  ui.root.dataset.ready = 'true';
  mark('workspace-ready');
  return {
    showOffline(state) {
      ui.offlineStatus.dataset.state = state.kind;
      ui.offlineStatus.textContent =
        state.kind === 'ready' ? 'Works offline.' : state.kind === 'missing' ? `Offline, this lab would miss ${state.paths.join(', ')}.` : '';
      ui.offlineStatus.classList.toggle('warning', state.kind === 'missing');
    },
  };
}
