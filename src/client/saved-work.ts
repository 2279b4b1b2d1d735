// The learner's work in this browser: every file as last typed, which hints were shown, the
// progress and the report of the last run, and their settings. localStorage, written
// synchronously on every edit, so a reload, a crash or a closed tab loses nothing. The storage is passed in (tests use
// a Map-backed one); when the browser refuses storage, every write says so instead of failing
// silently, and the page tells the learner to export their work.

import { withoutDetails } from '../../grader/report.ts';
import type { Report } from '../../grader/report.ts';

export interface Progress {
  /** Steps whose checks all passed in the last run. */
  stepsDone: number[];
  /** How many steps the lab has (so the catalog can say "2 of 5"). */
  steps: number;
  score: number;
  maxScore: number;
  /** ISO time of the run. */
  ranAt: string;
}

/** The last report of a lab, kept with the saved work and shown again after a reload. */
export interface SavedRun {
  report: Report;
  /** ISO time of the run. */
  ranAt: string;
  /** From "Run checks" to the report, every wait included. */
  tookMs: number;
  /** Which text of the learner's files was graded (filesDigest), to say when it changed since. */
  filesDigest: string;
  /** True when the browser's storage was too full for the calls and state: only the verdicts were kept. */
  slim?: boolean;
}

export type EnginePreference = 'auto' | 'worker';
export type EditorPreference = 'code' | 'plain';

export interface Settings {
  /** 'auto': the WebContainer when it can run, else a Worker; 'worker': always a Worker. */
  engine: EnginePreference;
  /** 'plain' keeps the plain text editor (lighter, friendlier to some screen readers). */
  editor: EditorPreference;
  /** How long the WebContainer may take to start before the Worker takes over. */
  bootTimeoutMs: number;
}

export const DEFAULT_SETTINGS: Settings = { engine: 'auto', editor: 'code', bootTimeoutMs: 20_000 };

const PREFIX = 'whetstone:v1';
const SETTINGS_KEY = `${PREFIX}:settings`;
const labKey = (lab: string, what: string) => `${PREFIX}:lab:${lab}:${what}`;

/** localStorage, or undefined where the browser refuses it (some private modes, blocked cookies). */
export function browserStorage(): Storage | undefined {
  try {
    const storage = globalThis.localStorage;
    const probe = `${PREFIX}:probe`;
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

function readJson<T>(storage: Storage | undefined, key: string): T | undefined {
  try {
    const text = storage?.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Write, and say whether it stuck (quota exceeded and storage refused both return false). */
function write(storage: Storage | undefined, key: string, value: string): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** A short digest of the learner's files (FNV-1a over names and texts), to tell whether they changed. */
export function filesDigest(files: Readonly<Record<string, string>>): string {
  let h = 0x811c9dc5;
  for (const name of Object.keys(files).sort()) {
    for (const text of [name, '\0', files[name]!, '\0']) {
      for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
      }
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The report without what a run's details take most room for: calls, state, output and figures. */
function slimReport(report: Report): Report {
  return { ...report, checks: report.checks.map(withoutDetails) };
}

export interface SavedWork {
  readonly lab: string;
  /** The saved text of a file, or undefined when the learner never edited it. */
  file(path: string): string | undefined;
  /** Save one file now; false when the browser would not store it. */
  saveFile(path: string, text: string): boolean;
  /** Forget the saved files (back to the starter). */
  clearFiles(paths: readonly string[]): void;
  hintsShown(step: number): number;
  setHintsShown(step: number, count: number): void;
  progress(): Progress | undefined;
  saveProgress(progress: Progress): boolean;
  /** The last run's report, if one was kept. */
  lastRun(): SavedRun | undefined;
  /** Keep a run's report; when storage is too full for its details, its verdicts alone. */
  saveRun(run: SavedRun): boolean;
}

export function openSavedWork(storage: Storage | undefined, lab: string): SavedWork {
  return {
    lab,
    file(path) {
      try {
        return storage?.getItem(labKey(lab, `file:${path}`)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    saveFile: (path, text) => write(storage, labKey(lab, `file:${path}`), text),
    clearFiles(paths) {
      for (const path of paths) {
        try {
          storage?.removeItem(labKey(lab, `file:${path}`));
        } catch {
          // Nothing to forget where nothing could be stored.
        }
      }
    },
    hintsShown: (step) => readJson<Record<string, number>>(storage, labKey(lab, 'hints'))?.[step] ?? 0,
    setHintsShown(step, count) {
      const shown = readJson<Record<string, number>>(storage, labKey(lab, 'hints')) ?? {};
      shown[step] = count;
      write(storage, labKey(lab, 'hints'), JSON.stringify(shown));
    },
    progress: () => readJson<Progress>(storage, labKey(lab, 'progress')),
    saveProgress: (progress) => write(storage, labKey(lab, 'progress'), JSON.stringify(progress)),
    lastRun() {
      const run = readJson<SavedRun>(storage, labKey(lab, 'last-run'));
      return run && typeof run.ranAt === 'string' && Array.isArray(run.report?.checks) ? run : undefined;
    },
    saveRun(run) {
      if (write(storage, labKey(lab, 'last-run'), JSON.stringify(run))) return true;
      return write(storage, labKey(lab, 'last-run'), JSON.stringify({ ...run, report: slimReport(run.report), slim: true }));
    },
  };
}

/** The progress of every lab, for the catalog. */
export function labProgress(storage: Storage | undefined, lab: string): Progress | undefined {
  return readJson<Progress>(storage, labKey(lab, 'progress'));
}

/** Whether the learner has started a lab (edited a file), for the catalog. */
export function hasSavedFiles(storage: Storage | undefined, lab: string): boolean {
  if (!storage) return false;
  const prefix = labKey(lab, 'file:');
  try {
    for (let i = 0; i < storage.length; i++) if (storage.key(i)?.startsWith(prefix)) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * The learner's settings, or the defaults. `touchFirst` (a phone or tablet) makes the plain
 * editor the default: Monaco is made for a keyboard and a mouse.
 */
export function loadSettings(storage: Storage | undefined, touchFirst = false): Settings {
  const saved = readJson<Partial<Settings>>(storage, SETTINGS_KEY) ?? {};
  const editor = saved.editor ?? (touchFirst ? 'plain' : DEFAULT_SETTINGS.editor);
  return {
    engine: saved.engine === 'worker' ? 'worker' : 'auto',
    editor: editor === 'plain' ? 'plain' : 'code',
    bootTimeoutMs:
      typeof saved.bootTimeoutMs === 'number' && saved.bootTimeoutMs >= 1000 && saved.bootTimeoutMs <= 120_000
        ? saved.bootTimeoutMs
        : DEFAULT_SETTINGS.bootTimeoutMs,
  };
}

export function saveSettings(storage: Storage | undefined, settings: Settings): boolean {
  return write(storage, SETTINGS_KEY, JSON.stringify(settings));
}
