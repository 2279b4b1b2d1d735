// Entry point of a lab page: the steps on one side, the workspace on the other. The grading
// client is part of this script (a lab must grade offline); Monaco and the terminal are
// imported on demand.

import { readLabConfig } from './lab-config.ts';
import { keepAvailableOffline } from './offline.ts';
import { browserStorage, openSavedWork } from './saved-work.ts';
import { setUpSteps } from './steps.ts';
import { setUpWorkspace } from './workspace.ts';

const config = readLabConfig(document);
const storage = browserStorage();
const saved = openSavedWork(storage, config.lab);
const guide = setUpSteps(document.getElementById('guide')!, saved);
let session: Storage | undefined;
try {
  session = sessionStorage;
} catch {
  // Refused (some privacy settings): a failed WebContainer boot is then not remembered.
}
let workspace: ReturnType<typeof setUpWorkspace> | undefined;
const offline = keepAvailableOffline({
  // What grading needs that the page has not loaded itself (the Worker and the terminal load these).
  needed: [config.bundleUrl, config.workerUrl, config.runnerUrl, config.fakeAwsUrl],
  onState: (state) => workspace?.showOffline(state),
});
workspace = setUpWorkspace(config, saved, storage, guide, { session, keepOffline: (urls) => offline.keep(urls) });
