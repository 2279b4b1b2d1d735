// One figure of each kind, shaped like what the next labs will show: a per-shard table
// (streaming-ingest), a day of traffic, capacity and latency per minute (endpoint-autoscaling)
// and the executed states of a run (pipeline-orchestration). Deterministic, no randomness.

import { spansWhere } from '../../grader/figures.ts';
import type { EventsSpec, SeriesSpec, TableSpec } from '../../grader/figures.ts';

export const SHARD_TABLE: TableSpec = {
  kind: 'table',
  title: 'Your producer, shard by shard',
  caption: 'Throttled entries are retried; a duplicate is a record the stream holds twice.',
  columns: ['Shard', { label: 'Records sent', align: 'right' }, 'Duplicates', 'Lost', 'Throttled', { label: 'Time', unit: 's' }],
  rows: [
    ['shardId-000000000000', 12_480, 0, 0, 311, 14.2],
    ['shardId-000000000001', 12_502, 0, 0, 297, 14.6],
    ['shardId-000000000002', 25_018, 12, 0, 4_960, 61.75],
    ['shardId-000000000003', null, null, null, null, null],
  ],
};

/** Requests per minute over a day: a base load, a morning ramp and a burst at 10:11–10:24. */
export function dayOfTraffic(): { requests: number[]; instances: number[]; latency: (number | null)[] } {
  const requests: number[] = [];
  const instances: number[] = [];
  const latency: (number | null)[] = [];
  let capacity = 2;
  for (let minute = 0; minute < 1440; minute++) {
    const daylight = Math.max(0, Math.sin(((minute - 360) / 1440) * 2 * Math.PI));
    const burst = minute >= 611 && minute < 625 ? 5200 : 0;
    const load = Math.round(600 + 4200 * daylight + burst);
    requests.push(load);
    // Capacity follows the load a few minutes late, as target tracking does.
    const wanted = Math.max(2, Math.ceil(load / 900));
    if (minute % 5 === 0) capacity = wanted > capacity ? Math.min(capacity + 2, wanted) : Math.max(wanted, capacity - 1);
    instances.push(capacity);
    const perInstance = load / capacity;
    // A gap where the metric was missing (the endpoint was updating).
    latency.push(minute >= 200 && minute < 206 ? null : Math.round((40 + (perInstance / 1000) ** 4 * 120) * 10) / 10);
  }
  return { requests, instances, latency };
}

/** Traffic on the left axis, capacity on the right, the minutes over the latency goal shaded. */
export function dayChart(): SeriesSpec {
  const { requests, instances, latency } = dayOfTraffic();
  return {
    kind: 'series',
    title: 'Your endpoint’s day',
    caption: 'Traffic and instances in service per minute; shaded where latency was over the 200 ms goal.',
    x: { label: 'minute', unit: 'min', start: 0, step: 1 },
    series: [
      { name: 'requests', unit: 'requests/min', values: requests },
      { name: 'instances in service', unit: 'instances', axis: 'right', values: instances },
    ],
    ranges: spansWhere(latency, (ms) => ms > 200, { label: 'latency over the goal' }),
  };
}

/** Latency against its goal, with a gap where the metric was missing. */
export function latencyChart(): SeriesSpec {
  const { instances, latency } = dayOfTraffic();
  return {
    kind: 'series',
    title: 'Latency against the goal',
    x: { label: 'minute', unit: 'min' },
    series: [
      { name: 'latency p95', unit: 'ms', values: latency },
      { name: 'instances in service', unit: 'instances', axis: 'right', values: instances },
    ],
    lines: [{ label: 'latency goal', value: 200, series: 'latency p95' }],
    ranges: spansWhere(latency, (ms) => ms > 200, { label: 'over the goal' }),
  };
}

export const EXECUTION_EVENTS: EventsSpec = {
  kind: 'events',
  title: 'Scenario: Glue throttled once',
  events: [
    { at: '0.0 s', label: 'ExecutionStarted', status: 'info' },
    { at: '0.0 s', label: 'TaskStateEntered ValidateData', status: 'ok' },
    { at: '0.4 s', label: 'TaskStateEntered FeatureEngineering', status: 'ok' },
    { at: '0.5 s', label: 'TaskFailed FeatureEngineering', status: 'fail', detail: 'Glue.ThrottlingException: Rate exceeded' },
    { at: '2.5 s', label: 'Retry 1 after Glue.ThrottlingException', status: 'warn', detail: 'IntervalSeconds 2, BackoffRate 2' },
    { at: '3.1 s', label: 'TaskSucceeded FeatureEngineering', status: 'ok' },
    { at: '9.8 s', label: 'TaskStateEntered Train', status: 'ok' },
    { label: 'ExecutionSucceeded', status: 'ok' },
  ],
};
