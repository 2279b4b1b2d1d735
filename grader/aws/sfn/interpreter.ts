// What this fake hands the interpreter, aws-local-stepfunctions 3.0.0 (MIT): the learner's
// definition with the few rewrites that make the library behave as Step Functions does and run
// on simulated time. Every rewrite keeps the definition's meaning under AWS's rules:
//
// - Time. The library waits with real timers (Wait states, Task TimeoutSeconds, the machine's
//   TimeoutSeconds, Retry backoff). Wait states become Task states answered by the fake (which
//   waits on the simulated clock); TimeoutSeconds and HeartbeatSeconds go to the fake, which
//   enforces them on that clock. A Task state's Retry is applied by the fake too (sfn.ts), on
//   that clock and with AWS's matching rules (States.TaskFailed never matches States.Timeout):
//   the library only sees the attempt that ends the state. Its Catch stays with the library,
//   which matches States.TaskFailed against a fake's States.Timeout too (it recognises only its
//   own timeout class): a known difference, named in docs/fakes.md.
// - Choice rules are type-strict on AWS: a numeric comparison of a string, or a string
//   comparison of a number, is false (ASL spec, Choice Rules; LocalStack's snapshot-tested
//   operators, localstack/services/stepfunctions/.../comparison/operator/implementations/
//   numeric.py and string_operators.py, read 2026-11-30). The library compares with JavaScript's
//   coercing < and >=, so '0.95' >= 0.9 would be true: each such rule is guarded with
//   IsNumeric/IsString/IsTimestamp. `IsNull: false` (and the other Is* with false) mean "is
//   not …" on AWS; the library answers false for them: they become Not(Is…: true).
// - A heartbeat timeout matches both States.HeartbeatTimeout and States.Timeout on AWS
//   ("States.Timeout: a Task state either ran longer than TimeoutSeconds, or failed to send a
//   heartbeat for a period longer than HeartbeatSeconds", Step Functions Developer Guide,
//   Handling errors, read 2026-11-30): every ErrorEquals naming States.Timeout also names
//   States.HeartbeatTimeout.
// - ResultPath "$" replaces the input with the result on AWS; the library writes the result
//   under a key named "$". It is dropped (the default means the same).

import type { AslCatcher, AslChoiceRule, AslDefinition, AslRetrier, AslState } from './definition.ts';

/** The Resource the fake gives to Wait states it turned into Task states. */
export const WAIT_RESOURCE = 'arn:aws:states:::whetstone:simulated-wait';

export interface TaskSpec {
  name: string;
  /** 'Task' for a task, 'Wait' for a Wait state the fake answers on simulated time. */
  type: 'Task' | 'Wait';
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  retry: AslRetrier[];
}

export interface PreparedMachine {
  /** What aws-local-stepfunctions runs. */
  definition: AslDefinition;
  /** Every Task (and rewritten Wait) state, nested ones included, by name. */
  tasks: Map<string, TaskSpec>;
  /** Each state's type as the learner wrote it, by name. */
  types: Map<string, string>;
  /** The machine's own TimeoutSeconds, enforced by the fake. */
  timeoutSeconds?: number;
}

const NUMERIC = /^Numeric(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const STRING = /^String(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals|Matches)(Path)?$/;
const TIMESTAMP = /^Timestamp(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

function guardedRule(rule: AslChoiceRule): AslChoiceRule {
  const { Next, ...test } = rule as AslChoiceRule & { Next?: string };
  const withNext = (r: AslChoiceRule): AslChoiceRule => (Next === undefined ? r : { ...r, Next });
  if (Array.isArray(test.And)) return withNext({ And: (test.And as AslChoiceRule[]).map(guardedRule) });
  if (Array.isArray(test.Or)) return withNext({ Or: (test.Or as AslChoiceRule[]).map(guardedRule) });
  if (test.Not && typeof test.Not === 'object') return withNext({ Not: guardedRule(test.Not as AslChoiceRule) });
  const operator = Object.keys(test).find((k) => k !== 'Variable' && k !== 'Comment');
  if (!operator) return rule;
  const variable = test.Variable;
  if (TYPE_TESTS.includes(operator) && test[operator] === false) {
    return withNext({ Not: { Variable: variable, [operator]: true } });
  }
  const guard = NUMERIC.test(operator) ? 'IsNumeric' : STRING.test(operator) ? 'IsString' : TIMESTAMP.test(operator) ? 'IsTimestamp' : undefined;
  if (!guard) return rule;
  return withNext({ And: [{ Variable: variable, [guard]: true }, test] });
}

function withHeartbeat(errors: string[]): string[] {
  return errors.includes('States.Timeout') && !errors.includes('States.HeartbeatTimeout') ? [...errors, 'States.HeartbeatTimeout'] : errors;
}

function preparedStates(states: Record<string, AslState>, machine: PreparedMachine): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  for (const [name, original] of Object.entries(states)) {
    const s: AslState = structuredClone(original);
    machine.types.set(name, s.Type);
    if (s.ResultPath === '$') delete s.ResultPath;
    if (Array.isArray(s.Retry)) s.Retry = s.Retry.map((r: AslRetrier) => ({ ...r, ErrorEquals: withHeartbeat(r.ErrorEquals) }));
    if (Array.isArray(s.Catch)) {
      s.Catch = s.Catch.map((c: AslCatcher) => {
        const catcher: AslCatcher = { ...c, ErrorEquals: withHeartbeat(c.ErrorEquals) };
        if (catcher.ResultPath === '$') delete catcher.ResultPath;
        return catcher;
      });
    }
    if (s.Type === 'Choice' && Array.isArray(s.Choices)) s.Choices = s.Choices.map(guardedRule);
    if (Array.isArray(s.Branches)) s.Branches = s.Branches.map((b: AslDefinition) => preparedMachine(b, machine));
    if (s.Iterator) s.Iterator = preparedMachine(s.Iterator, machine);
    if (s.ItemProcessor) s.ItemProcessor = preparedMachine(s.ItemProcessor, machine);
    if (s.Type === 'Task') {
      machine.tasks.set(name, {
        name,
        type: 'Task',
        resource: String(s.Resource),
        ...(typeof s.TimeoutSeconds === 'number' ? { timeoutSeconds: s.TimeoutSeconds } : {}),
        ...(typeof s.HeartbeatSeconds === 'number' ? { heartbeatSeconds: s.HeartbeatSeconds } : {}),
        retry: s.Retry ?? [],
      });
      delete s.TimeoutSeconds;
      delete s.HeartbeatSeconds;
      delete s.Retry;
    }
    if (s.Type === 'Wait') {
      const parameters: Record<string, unknown> = { 'input.$': '$' };
      if (s.Seconds !== undefined) parameters.seconds = s.Seconds;
      if (s.SecondsPath !== undefined) parameters['seconds.$'] = s.SecondsPath;
      if (s.Timestamp !== undefined) parameters.timestamp = s.Timestamp;
      if (s.TimestampPath !== undefined) parameters['timestamp.$'] = s.TimestampPath;
      const task: AslState = { Type: 'Task', Resource: WAIT_RESOURCE, Parameters: parameters };
      for (const field of ['InputPath', 'OutputPath', 'Next', 'End', 'Comment'] as const) if (s[field] !== undefined) (task as Record<string, unknown>)[field] = s[field];
      machine.tasks.set(name, { name, type: 'Wait', resource: WAIT_RESOURCE, retry: [] });
      out[name] = task;
      continue;
    }
    out[name] = s;
  }
  return out;
}

function preparedMachine(definition: AslDefinition, machine: PreparedMachine): AslDefinition {
  const { TimeoutSeconds: _, ...rest } = definition;
  return { ...rest, States: preparedStates(definition.States, machine) };
}

/** The definition aws-local-stepfunctions runs for `definition`, and what the fake must answer itself. */
export function prepareForInterpreter(definition: AslDefinition): PreparedMachine {
  const machine: PreparedMachine = { definition: definition, tasks: new Map(), types: new Map() };
  if (typeof definition.TimeoutSeconds === 'number') machine.timeoutSeconds = definition.TimeoutSeconds;
  machine.definition = preparedMachine(definition, machine);
  return machine;
}

/**
 * What this fake cannot run faithfully, as one sentence each (CreateStateMachine refuses the
 * definition with them, rather than run it wrongly): JSONata, variables, distributed maps and
 * the *SecondsPath timeouts.
 */
export function unsupportedFeatures(definition: AslDefinition): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata: the interpreter (aws-local-stepfunctions 3.0.0) runs JSONPath definitions only');
  const visit = (states: Record<string, AslState>) => {
    for (const [name, s] of Object.entries(states)) {
      if (!s || typeof s !== 'object') continue;
      if (s.QueryLanguage === 'JSONata') problems.push(`/States/${name}: QueryLanguage JSONata is not supported by this fake (JSONPath only)`);
      if ('Assign' in s) problems.push(`/States/${name}: Assign (workflow variables) is not supported by this fake`);
      if ('TimeoutSecondsPath' in s || 'HeartbeatSecondsPath' in s) {
        problems.push(`/States/${name}: TimeoutSecondsPath and HeartbeatSecondsPath are not supported by this fake; use TimeoutSeconds and HeartbeatSeconds`);
      }
      if ('ItemReader' in s || 'ResultWriter' in s) problems.push(`/States/${name}: distributed Map (ItemReader, ResultWriter) is not supported by this fake`);
      for (const b of Array.isArray(s.Branches) ? s.Branches : []) if (b && typeof b === 'object') visit(b.States ?? {});
      for (const inner of [s.Iterator, s.ItemProcessor]) if (inner && typeof inner === 'object') visit(inner.States ?? {});
    }
  };
  visit(definition.States ?? {});
  return problems;
}
