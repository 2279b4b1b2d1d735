// The catalog's progress lines: each lab card says how far the learner got in this browser.

import { keepAvailableOffline } from './offline.ts';
import { describeProgress } from './progress.ts';
import { browserStorage, hasSavedFiles, labProgress } from './saved-work.ts';

const storage = browserStorage();
for (const line of document.querySelectorAll<HTMLElement>('[data-progress-for]')) {
  const lab = line.dataset.progressFor!;
  const progress = labProgress(storage, lab);
  const steps = Number(line.dataset.steps);
  const shown = progress ? { ...progress, steps } : undefined;
  line.textContent = describeProgress(shown, hasSavedFiles(storage, lab));
  line.dataset.state = !shown ? (hasSavedFiles(storage, lab) ? 'started' : 'new') : shown.stepsDone.length >= steps ? 'done' : 'started';
  const bar = line.parentElement?.querySelector<HTMLProgressElement>('progress');
  if (bar) {
    bar.max = steps;
    bar.value = shown?.stepsDone.length ?? 0;
    bar.hidden = !shown;
  }
}

keepAvailableOffline();
