// The code editor: Monaco with TypeScript diagnostics and completion over the learner's files,
// the declarations of the packages the lab lets them import, and each other (a lab with several
// files sees its own interfaces across them). This module is imported only when the editor is
// needed: Monaco and its TypeScript worker are megabytes.

import * as monaco from 'monaco-editor';
import editorWorkerUrl from 'monaco-editor/editor/editor.worker?worker&url';
import tsWorkerUrl from 'monaco-editor/language/typescript/ts.worker?worker&url';

export interface TypesSource {
  module: string;
  url: string;
}

export interface CodeEditorOptions {
  host: HTMLElement;
  files: Record<string, string>;
  active: string;
  types: readonly TypesSource[];
  onChange(path: string, text: string): void;
  onRun(): void;
  /** Esc then Tab (or Shift+Tab): the learner leaves the editor; move focus on from it. */
  onLeave(direction: 'forward' | 'backward'): void;
  /** Called when the declarations of the lab's packages are in place (or failed to load). */
  onTypes?(outcome: { ok: true } | { ok: false; message: string }): void;
}

export interface FileLocation {
  line: number;
  column?: number;
}

export interface CodeEditor {
  setActive(path: string): void;
  setText(path: string, text: string): void;
  focus(): void;
  /** Put the cursor on a line and show it; with a message, mark the line (e.g. a load error). */
  reveal(path: string, at: FileLocation, mark?: string): void;
  clearMarks(): void;
  /** Offset of the cursor, to carry it over from the plain editor. */
  setCursorOffset(offset: number): void;
  /** The learner's file against another text, read-only, in `host`. */
  showDiff(host: HTMLElement, path: string, other: string, sideBySide: boolean): { dispose(): void };
  dispose(): void;
}

const MARK_OWNER = 'whetstone';
/** What the editor tells a screen reader; the same hint is on screen below the editor. */
const ariaLabel = (path: string) => `${path}: code editor. Tab indents; press Escape then Tab to leave the editor. Alt+F1: accessibility help.`;
const uriOf = (path: string) => monaco.Uri.parse(`file:///${path}`);

/**
 * The editor's worker scripts, by URL: a page that loaded them before its service worker took
 * over must name them for the offline copy (resource timing does not list a worker's script).
 */
export const EDITOR_WORKER_URLS: readonly string[] = [editorWorkerUrl, tsWorkerUrl];

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    const typescript = label === 'typescript' || label === 'javascript';
    return new Worker(typescript ? tsWorkerUrl : editorWorkerUrl, { type: 'module', name: typescript ? 'typescript' : 'editor' });
  },
};

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  // ES2022 (what Node 22 and browsers run), whose default library Monaco ships with the DOM's
  // (lib.es2022.full.d.ts). Monaco's enum stops at ES2020, hence the number; a `lib` list is no
  // way round it, as the worker cannot find libraries by name.
  target: 9 as typeof ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  // node10 over the file:///node_modules/… declarations this page adds (see src/build/sdk-types.ts).
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  allowImportingTsExtensions: true,
  esModuleInterop: true,
  skipLibCheck: true,
});
ts.typescriptDefaults.setEagerModelSync(true);

/** Declarations already fetched on this page, by URL (a second editor reuses them). */
const typesCache = new Map<string, Promise<Record<string, string>>>();

function fetchTypes(url: string): Promise<Record<string, string>> {
  let pending = typesCache.get(url);
  if (!pending) {
    pending = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
      return ((await response.json()) as { files: Record<string, string> }).files;
    });
    pending.catch(() => typesCache.delete(url));
    typesCache.set(url, pending);
  }
  return pending;
}

async function loadTypes(sources: readonly TypesSource[]): Promise<void> {
  const all = await Promise.all(sources.map((s) => fetchTypes(s.url)));
  ts.typescriptDefaults.setExtraLibs(all.flatMap((files) => Object.entries(files).map(([filePath, content]) => ({ filePath, content }))));
}

function themeFor(dark: boolean): string {
  return dark ? 'vs-dark' : 'vs';
}

export function createCodeEditor(options: CodeEditorOptions): CodeEditor {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const models = new Map<string, monaco.editor.ITextModel>();
  for (const [path, text] of Object.entries(options.files)) {
    const uri = uriOf(path);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'typescript', uri);
    if (model.getValue() !== text) model.setValue(text);
    model.onDidChangeContent(() => options.onChange(path, model.getValue()));
    models.set(path, model);
  }
  const modelOf = (path: string) => {
    const model = models.get(path);
    if (!model) throw new Error(`This lab has no file ${path}.`);
    return model;
  };

  const editor = monaco.editor.create(options.host, {
    model: modelOf(options.active),
    theme: themeFor(dark.matches),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    tabSize: 2,
    fixedOverflowWidgets: true,
    ariaLabel: ariaLabel(options.active),
  });
  // Tab indents, as in any code editor, so the keyboard needs a way out: Escape then Tab (or
  // Shift+Tab) leaves the editor, as CodeMirror does; Ctrl+M (Monaco's own) still switches Tab
  // to moving focus for good.
  // Listened for on the host in the capture phase, before the editor's own handlers, so that a
  // Tab meant to leave never reaches them; Escape still does (it closes the editor's widgets).
  let escaped = false;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      escaped = true;
      return;
    }
    if (escaped && event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      event.stopImmediatePropagation();
      escaped = false;
      options.onLeave(event.shiftKey ? 'backward' : 'forward');
      return;
    }
    if (event.key !== 'Shift') escaped = false;
  };
  options.host.addEventListener('keydown', onKey, true);
  editor.addAction({
    id: 'whetstone.run-checks',
    label: 'Run checks',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    run: () => options.onRun(),
  });
  const onScheme = (event: MediaQueryListEvent) => monaco.editor.setTheme(themeFor(event.matches));
  dark.addEventListener('change', onScheme);

  loadTypes(options.types).then(
    () => options.onTypes?.({ ok: true }),
    (error: unknown) => options.onTypes?.({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );

  return {
    setActive(path) {
      editor.setModel(modelOf(path));
      editor.updateOptions({ ariaLabel: ariaLabel(path) });
    },
    setText(path, text) {
      const model = modelOf(path);
      // pushEditOperations keeps the change undoable (a reset or an import can be taken back).
      if (model.getValue() !== text) model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    },
    focus: () => editor.focus(),
    reveal(path, at, mark) {
      this.setActive(path);
      const model = modelOf(path);
      const line = Math.min(Math.max(1, at.line), model.getLineCount());
      const column = at.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1;
      if (mark) {
        monaco.editor.setModelMarkers(model, MARK_OWNER, [
          {
            severity: monaco.MarkerSeverity.Error,
            message: mark,
            startLineNumber: line,
            startColumn: Math.max(1, column),
            endLineNumber: line,
            endColumn: model.getLineMaxColumn(line),
          },
        ]);
      }
      editor.setPosition({ lineNumber: line, column: Math.max(1, column) });
      editor.revealLineInCenter(line);
      editor.focus();
    },
    clearMarks() {
      for (const model of models.values()) monaco.editor.setModelMarkers(model, MARK_OWNER, []);
    },
    setCursorOffset(offset) {
      const model = editor.getModel();
      if (model) editor.setPosition(model.getPositionAt(offset));
    },
    showDiff(host, path, other, sideBySide) {
      const original = modelOf(path);
      // A model needs a .ts name for TypeScript to take it in: an unnamed one (inmemory://model/2)
      // made the TypeScript worker throw "Could not find source file" at every diff.
      const uri = monaco.Uri.parse(`file:///.solution/${path}`);
      monaco.editor.getModel(uri)?.dispose();
      const modified = monaco.editor.createModel(other, 'typescript', uri);
      const diff = monaco.editor.createDiffEditor(host, {
        readOnly: true,
        originalEditable: false,
        renderSideBySide: sideBySide,
        automaticLayout: true,
        minimap: { enabled: false },
        theme: themeFor(dark.matches),
        scrollBeyondLastLine: false,
        ariaLabel: `Differences between your ${path} and the solution`,
      });
      diff.setModel({ original, modified });
      return {
        dispose() {
          diff.dispose();
          modified.dispose();
        },
      };
    },
    dispose() {
      dark.removeEventListener('change', onScheme);
      options.host.removeEventListener('keydown', onKey, true);
      editor.dispose();
      for (const model of models.values()) model.dispose();
    },
  };
}
