// Entry point of a lab page: the steps on one side, the workspace on the other. Everything heavy
// (Monaco, the grader, the terminal) is imported from here on demand, never up front.

import { readLabConfig } from './lab-config.ts';
import { keepAvailableOffline } from './offline.ts';
import { browserStorage, openSavedWork } from './saved-work.ts';
import { setUpSteps } from './steps.ts';
import { setUpWorkspace } from './workspace.ts';

const config = readLabConfig(document);
const storage = browserStorage();
const saved = openSavedWork(storage, config.lab);
const guide = setUpSteps(document.getElementById('guide')!, saved);
setUpWorkspace(config, saved, storage, guide);
keepAvailableOffline();
