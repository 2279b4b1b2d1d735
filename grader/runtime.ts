// The lab runtime: what a lab bundle exposes to a host. It loads the learner's files, runs
// each check against a fresh fake AWS world, and emits one message per step of the way.
// Environment-agnostic; the host decides how it is isolated.

import { CheckDefinitionError, CheckFailure, StepNotDone } from './checks.ts';
import type { BaseContext, CheckDefinition, CheckSuite, FailOptions, Submission } from './checks.ts';
import { createAwsEnv } from './aws/env.ts';
import type { AwsEnv, FakeService } from './aws/env.ts';
import { hardenRealm } from './harden.ts';
import { FIGURE_CAPS, figureFromSpec } from './figures.ts';
import { describeThrown } from './messages.ts';
import { isNotImplemented, unfinishedMessage, watchModule } from './unfinished.ts';
import type { Unfinished } from './unfinished.ts';
import { pinTimeZone } from './zoned-time.ts';
import type { LabManifest } from './lab-schema.ts';
import type { Envelope, LabRuntime, RunRequest, SessionMessage } from './protocol.ts';
import type { CheckInfo, CheckResult, CheckStatus, Figure, Visibility } from './report.ts';
import { SubmissionError, SubmissionLoader, learnerLocation, verifyExports } from './submission.ts';
import type { ModuleMap } from './submission.ts';
import { createLearnerScope } from './learner-scope.ts';
import { toPlainData } from './plain-data.ts';

export const TRACE_CAP = 100;
const OUTPUT_CAP = 4000;
const MESSAGE_CAP = 2000;

export interface RuntimeSuite {
  visibility: Visibility;
  suite: CheckSuite<unknown>;
}

export interface RuntimeOptions {
  manifest: LabManifest;
  suites: RuntimeSuite[];
  modules: ModuleMap;
}

interface PlannedCheck {
  info: CheckInfo;
  definition: CheckDefinition<unknown>;
  suite: CheckSuite<unknown>;
}

/** FNV-1a, to derive a per-check seed that does not depend on which checks run. */
function hashSeed(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function clip(text: string, cap: number): string {
  return text.length > cap ? `${text.slice(0, cap)}… (${text.length - cap} more characters)` : text;
}

function defaultState(world: unknown): Record<string, unknown> | undefined {
  if (!world || typeof world !== 'object') return undefined;
  const state: Record<string, unknown> = {};
  for (const value of Object.values(world)) {
    const service = value as Partial<FakeService> | undefined;
    if (service && typeof service.snapshot === 'function' && typeof service.serviceName === 'string') {
      state[service.serviceName] = service.snapshot();
    }
  }
  return Object.keys(state).length ? state : undefined;
}

export function createLabRuntime(options: RuntimeOptions): LabRuntime {
  const { manifest, modules } = options;
  const defaultTimeout = manifest.limits.checkTimeoutMs;
  const planned: PlannedCheck[] = [];
  const seen = new Set<string>();
  for (const { visibility, suite } of options.suites) {
    for (const definition of suite.checks) {
      if (seen.has(definition.id)) {
        throw new Error(`Check id '${definition.id}' is declared twice in lab ${manifest.id} (check ids must be unique across checks.ts and hidden/checks.ts).`);
      }
      seen.add(definition.id);
      planned.push({
        definition,
        suite,
        info: {
          id: definition.id,
          title: definition.title,
          step: definition.step,
          maxScore: definition.points,
          visibility,
          timeoutMs: definition.timeoutMs ?? defaultTimeout,
        },
      });
    }
  }
  // Public before hidden within a step, steps in order: the order learners read them.
  planned.sort((a, b) => a.info.step - b.info.step);

  let hardened = false;

  async function runCheck(
    check: PlannedCheck,
    loader: SubmissionLoader,
    seed: number,
  ): Promise<CheckResult> {
    const { info, definition, suite } = check;
    const started = performance.now();
    const checkSeed = hashSeed(seed, info.id);
    const env: AwsEnv = createAwsEnv({ seed: checkSeed });
    const output: string[] = [];
    let outputLength = 0;
    const notes: string[] = [];
    const figures: Figure[] = [];
    let figuresOmitted = 0;
    // Once the result is out, a check still running (past its time limit) changes nothing in it.
    let finished = false;
    const scope = createLearnerScope({
      write(line) {
        if (outputLength > OUTPUT_CAP) return;
        output.push(line);
        outputLength += line.length + 1;
      },
    });
    // The first "Not implemented yet" the learner's code threw in this check, caught or not.
    let unfinished: Unfinished | undefined;
    const finish = (status: CheckStatus, message: string, world?: unknown, code?: string): CheckResult => {
      finished = true;
      const stub = status === 'fail' || status === 'error' ? unfinished : undefined;
      if (stub) message = unfinishedMessage(stub, loader.files);
      const result: CheckResult = {
        id: info.id,
        title: info.title,
        step: info.step,
        status,
        score: status === 'pass' ? info.maxScore : 0,
        maxScore: info.maxScore,
        visibility: info.visibility,
        message: clip([message, ...notes].filter(Boolean).join(' '), MESSAGE_CAP),
        durationMs: Math.round(performance.now() - started),
      };
      if (stub) result.unfinished = true;
      if (code) result.code = code;
      const entries = env.trace.entries;
      if (entries.length) {
        result.trace = toPlainData(entries.slice(0, TRACE_CAP)) as CheckResult['trace'];
        if (entries.length > TRACE_CAP) result.traceOmitted = entries.length - TRACE_CAP;
      }
      // Without the lab's own summary, the state is shown only after the learner's code called
      // AWS: a check of a pure function (or code that never got that far) has no "afterwards".
      if (world !== undefined && (suite.lab.state || entries.length)) {
        try {
          const state = suite.lab.state ? suite.lab.state(world) : defaultState(world);
          if (state) result.state = toPlainData(state) as Record<string, unknown>;
        } catch {
          // A state summary is a courtesy; never let it cost the learner a result.
        }
      }
      if (output.length) result.output = clip(output.join('\n'), OUTPUT_CAP);
      if (figures.length) result.figures = [...figures];
      if (figuresOmitted) result.figuresOmitted = figuresOmitted;
      return result;
    };

    let world: unknown;
    try {
      world = suite.lab.aws(env);
      const seen = (stub: Unfinished) => {
        unfinished ??= stub;
      };
      const watched = (submission: Submission): Submission => ({
        files: submission.files,
        load: <T>(file: string) => watchModule(submission.load<object>(file), seen) as T,
        fresh: () => watched(submission.fresh()),
      });
      const base: BaseContext<unknown> = {
        submission: watched(loader.instantiate(scope)),
        aws: world,
        env,
        seed: checkSeed,
        fail(message: string, options?: FailOptions): never {
          throw new CheckFailure(message, options);
        },
        note(message: string) {
          notes.push(message);
        },
        show(figure) {
          if (finished) return;
          // Checked and copied now, so a malformed figure fails where it was shown.
          const shown = figureFromSpec(figure);
          if (figures.length < FIGURE_CAPS.figuresPerCheck) figures.push(shown);
          else figuresOmitted++;
        },
      };
      const start = () => {
        const fixture = suite.lab.open?.(base);
        if (fixture === undefined) return definition.run(base);
        const clash = Object.keys(fixture).filter((key) => key in base);
        if (clash.length) {
          throw new CheckDefinitionError(`The lab's open() returned ${clash.map((k) => `'${k}'`).join(', ')}, which every check context already has: rename ${clash.length > 1 ? 'them' : 'it'}.`);
        }
        return definition.run({ ...base, ...fixture });
      };
      const timeoutMs = info.timeoutMs ?? defaultTimeout;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([
        Promise.resolve().then(start).then(() => 'done' as const),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      if (outcome === 'timeout') {
        return finish(
          'timeout',
          `Did not finish within ${timeoutMs / 1000} s. Look for a promise that never settles (a missing await, a callback never called) or a loop that never ends.`,
          world,
        );
      }
      return finish('pass', '', world);
    } catch (error) {
      if (error instanceof StepNotDone) unfinished ??= { error: error.error };
      if (error instanceof CheckFailure) return finish('fail', error.message, world, error.code);
      if (error instanceof SubmissionError) return finish('error', error.detail.message, world);
      const where = learnerLocation(error, loader.files);
      if (where) {
        if (isNotImplemented(error)) unfinished ??= { error };
        return finish('error', `Your code threw ${describeThrown(error, loader.files)}.`, world);
      }
      return finish('error', `The check could not complete: ${describeThrown(error)}`, world);
    }
  }

  const runtime: LabRuntime = {
    manifest,
    checks: planned.map((p) => p.info),
    harden() {
      if (hardened) return;
      // Build one world first so every client mock is installed before the realm is frozen.
      for (const { suite } of options.suites) suite.lab.aws(createAwsEnv({ seed: 0 }));
      // The same local zone on every host, so a local-time bug fails everywhere alike.
      pinTimeZone(manifest.limits.timeZone);
      hardenRealm({ modules });
      hardened = true;
    },
    async run(request: RunRequest, emit: (message: Envelope) => void) {
      const send = (message: SessionMessage) => emit({ ...message, nonce: request.nonce });
      const loader = new SubmissionLoader({ files: request.files, modules });
      try {
        loader.compile();
        verifyExports(loader.instantiate(createLearnerScope({ write() {} })), manifest.files);
      } catch (error) {
        if (error instanceof SubmissionError) {
          send({ type: 'load-error', error: error.detail });
          return;
        }
        const where = learnerLocation(error, request.files);
        send({
          type: 'load-error',
          error: {
            kind: 'import-throw',
            message: `Your code threw ${describeThrown(error, request.files)} while loading. Code at the top level of a file runs on import: move it into a function.`,
            ...(where ?? {}),
          },
        });
        return;
      }
      send({ type: 'loaded' });
      const only = request.only ? new Set(request.only) : undefined;
      for (const check of planned) {
        if (only && !only.has(check.info.id)) continue;
        send({ type: 'check-start', id: check.info.id });
        const result = await runCheck(check, loader, request.seed);
        send({ type: 'check-end', result });
      }
      send({ type: 'done' });
    },
    scratch({ files, entry, seed = 1 }) {
      const loader = new SubmissionLoader({ files, modules });
      loader.compile();
      const env = createAwsEnv({ seed });
      // The public checks' world: the clients the script builds join it at their first call.
      const { lab } = options.suites[0]!.suite;
      const world = lab.aws(env);
      loader.instantiate().load(entry);
      return {
        trace: env.trace.entries,
        state: () => {
          const state = lab.state ? lab.state(world) : defaultState(world);
          return state ? (toPlainData(state) as Record<string, unknown>) : undefined;
        },
      };
    },
  };
  return runtime;
}
