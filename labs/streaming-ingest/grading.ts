// How the streaming-ingest checks judge the learner's stream.ts: each helper runs one rule of the
// steps against their code and, when it does not hold, fails with what was expected and what their
// code did — the load, the key, the PutRecords call, the record — and the likely cause when the
// pattern is recognisable. The public checks are one line each over these; the hidden ones reuse
// them on seeded fixtures.

import { count, describe, describeThrown, duration, expectThrows, fail, list } from 'whetstone/checks';
import type { StoredRecord } from 'whetstone/aws/kinesis';
import { KINESIS_LIMITS } from 'whetstone/aws/kinesis';
import type { Context } from './checks.ts';
import { delivery, describeDuplicates, eventIdOf, shardTable } from './delivery.ts';
import type { Delivery } from './delivery.ts';
import { explainShards } from './sizing.ts';
import type { StreamLoad } from './sizing.ts';
import type { ClickEvent, PutSummary, ShardRead } from './starter/stream.ts';
import { recordBytes } from './traffic.ts';
import { RunawayRun, SimulatedClock } from './world.ts';

const MiB = 1024 * 1024;
const decoder = new TextDecoder();
const mb = (bytes: number) => `${(Math.round((bytes / 1_000_000) * 10) / 10).toLocaleString('en-US')} MB`;

// ---------------------------------------------------------------------------------------------
// Step 1: shardsNeeded.

export function expectShards({ ingest }: Context, loads: readonly StreamLoad[]): void {
  for (const load of loads) {
    const problem = explainShards(load, ingest.shardsNeeded({ ...load }));
    if (problem) fail(problem);
  }
}

// ---------------------------------------------------------------------------------------------
// Step 2: partitionKeyFor.

/** The learner's key for each event, checked to be a string Kinesis accepts. */
export function keysOf({ ingest }: Context, events: readonly ClickEvent[]): string[] {
  return events.map((event) => {
    const key = ingest.partitionKeyFor({ ...event });
    if (typeof key !== 'string') fail(`partitionKeyFor returned ${describe(key)} for event ${event.eventId} (user ${event.userId}); a partition key is a string.`);
    if (key.length < 1 || key.length > KINESIS_LIMITS.partitionKeyCharacters) {
      fail(`partitionKeyFor returned a key of ${count(key.length, 'character')} for event ${event.eventId}; Kinesis takes keys of 1 to 256 characters (else the whole PutRecords is a ValidationException).`);
    }
    return key;
  });
}

/** Which field of the event a key looks like it was made from, to name the mistake. */
function keySource(event: ClickEvent, key: string): string | undefined {
  if (key === event.page) return 'the page';
  if (key === event.timestamp) return 'the timestamp';
  if (key === event.timestamp.slice(0, 10)) return 'the day';
  if (key === event.timestamp.slice(0, 13)) return 'the hour';
  if (key === event.eventId) return 'the event id';
  return undefined;
}

/** One key per user: the same user always gets the same key, different users different keys. */
export function expectKeyPerUser(ctx: Context, events: readonly ClickEvent[]): void {
  const keys = keysOf(ctx, events);
  const byUser = new Map<string, { key: string; event: ClickEvent }>();
  const byKey = new Map<string, ClickEvent>();
  events.forEach((event, i) => {
    const key = keys[i]!;
    const seen = byUser.get(event.userId);
    if (seen && seen.key !== key) {
      const source = keySource(event, key);
      fail(
        `User ${event.userId} got the key '${seen.key}' for ${seen.event.eventId} (${seen.event.page} at ${seen.event.timestamp}) and '${key}' for ${event.eventId} (${event.page} at ${event.timestamp})` +
          `${source ? `: your key is ${source}` : ''}. One user's events must share one key, so that they land on one shard, in order. Derive the key from the user alone.`,
      );
    }
    byUser.set(event.userId, { key, event });
    const other = byKey.get(key);
    if (other && other.userId !== event.userId) {
      const source = keySource(event, key);
      fail(
        `Users ${other.userId} and ${event.userId} both get the key '${key}'${source ? ` (your key is ${source})` : ''}. Different users need different keys: a key shared by many users sends all of their clicks to one shard.`,
      );
    }
    byKey.set(key, event);
  });
}

/** The learner's keys spread `events` over a stream of `shards` shards: no shard above 1.5× a fair share. */
export function expectKeysSpread(ctx: Context, events: readonly ClickEvent[], shards: number): void {
  const stream = `spread-${shards}`;
  if (!ctx.fake.streamNames().includes(stream)) ctx.fake.createStream(stream, { shardCount: shards });
  const keys = keysOf(ctx, events);
  const perShard = new Map<string, { records: number; keys: Map<string, number> }>();
  keys.forEach((key) => {
    const shard = ctx.fake.shardFor(stream, key);
    const row = perShard.get(shard) ?? { records: 0, keys: new Map<string, number>() };
    row.records++;
    row.keys.set(key, (row.keys.get(key) ?? 0) + 1);
    perShard.set(shard, row);
  });
  const [busiest, row] = [...perShard].sort((a, b) => b[1].records - a[1].records)[0]!;
  const share = row.records / events.length;
  const allowed = 1.5 / shards;
  if (share <= allowed) return;
  const top = [...row.keys].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `'${k}' (${count(n, 'click')})`);
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  fail(
    `Your keys put ${pct(share)} of ${count(events.length, 'click')} (from ${count(new Set(events.map((e) => e.userId)).size, 'user')}) on ${busiest} of a ${shards}-shard stream; an even spread is ${pct(1 / shards)} a shard, and the check allows ${pct(allowed)}. ` +
      `Its busiest keys: ${list(top, 3)}. A shard takes 1,000 records/s whatever the others do, so this one shard sets the pace of the whole stream. Key by user: many users, each a small share.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Running the learner's putAll.

export interface PutRun {
  clock: SimulatedClock;
  /** What putAll resolved with, or undefined when it threw. */
  summary?: unknown;
  thrown?: unknown;
  elapsedMs: number;
  delivery: Delivery;
}

/** The shard the learner's key sends `event` to on `stream`; undefined when the key is unusable. */
function shardOfEvent(ctx: Context, stream: string): (event: ClickEvent) => string | undefined {
  return (event) => {
    try {
      const key: unknown = ctx.ingest.partitionKeyFor({ ...event });
      return typeof key === 'string' && key.length >= 1 && key.length <= KINESIS_LIMITS.partitionKeyCharacters ? ctx.fake.shardFor(stream, key) : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * putAll of (copies of) `events` into `stream`, with a fresh simulated clock. With `figure`, the
 * run is shown shard by shard under the check's message, whether the check then passes or fails.
 */
export async function runPut(ctx: Context, stream: string, events: readonly ClickEvent[], clockSeed: number, figure?: string): Promise<PutRun> {
  const clock = new SimulatedClock(ctx.env, clockSeed);
  let summary: unknown;
  let thrown: unknown;
  try {
    summary = await ctx.ingest.putAll(ctx.kinesis, stream, events.map((e) => ({ ...e })), clock);
  } catch (error) {
    thrown = error;
  }
  const elapsedMs = clock.elapsedMs;
  const delivered = delivery(ctx.fake, stream, events, elapsedMs, shardOfEvent(ctx, stream));
  if (figure) ctx.show(shardTable(delivered, figure));
  if (thrown instanceof RunawayRun) {
    fail(
      `putAll was still retrying after ${duration(elapsedMs / 1000)} of simulated time (the check stopped it there). ` +
        'Give up 60 s after putAll started: throw an Error that says how many events are still unsent.',
    );
  }
  return { clock, summary, thrown, elapsedMs, delivery: delivered };
}

/** The PutRecords requests the learner's code sent to `stream`, as the stream saw them. */
function requestsTo(ctx: Context, stream: string) {
  return ctx.fake.writes.filter((w) => w.stream === stream && w.operation === 'PutRecords');
}

/** Fails when putAll threw, naming what the stream said to the request that caused it. */
export function expectResolved(ctx: Context, run: PutRun, stream: string, what: string): void {
  if (run.thrown === undefined) return;
  const refused = requestsTo(ctx, stream).filter((w) => w.error && w.error !== 'InternalFailureException');
  const first = refused[0];
  let cause = '';
  if (first?.error === 'ValidationException' && first.entries > KINESIS_LIMITS.putRecordsEntries) {
    cause = ` Your code sent a PutRecords of ${count(first.entries, 'record')}; one request carries at most 500.`;
  } else if (first?.error === 'InvalidArgumentException' && first.bytes > KINESIS_LIMITS.putRecordsRequestBytes) {
    cause = ` Your code sent a PutRecords of ${count(first.entries, 'record')} and ${mb(first.bytes)} (data plus keys); one request carries at most 10 MiB (10,485,760 bytes).`;
  }
  fail(`${what}, putAll threw ${describeThrown(run.thrown, ctx.submission.files)}.${cause}`);
}

/** Every event exactly once (duplicates the lab accepts aside), nothing else. */
export function expectDelivered(run: PutRun, what: string): void {
  const d = run.delivery;
  if (d.strangers.length) {
    fail(`${what}, the stream holds ${count(d.strangers.length, 'record')} whose data is not the JSON of one of the events sent (the first: ${describe(decoder.decode(d.strangers[0]!.data.subarray(0, 60)))}). Each record's Data is the UTF-8 bytes of JSON.stringify(event).`);
  }
  if (d.lost.length) {
    fail(
      `${what}, ${count(d.lost.length, 'event')} never reached the stream: ${list(d.lost.map((e) => e.eventId))}. ` +
        `PutRecords answered for them with an ErrorCode${d.throttledEntries ? ` (${count(d.throttledEntries, 'entry', 'entries')} were throttled, ${count(d.internalFailures, 'InternalFailure')})` : ''}: a response with FailedRecordCount above 0 is not a success. Send the entries that carry an ErrorCode again.`,
    );
  }
  if (d.unacceptedDuplicates) {
    fail(
      `${what}, ${count(d.unacceptedDuplicates, 'record')} were written twice although Kinesis had confirmed them: ${describeDuplicates(d)}. ` +
        'An entry of the response with a SequenceNumber is written; send again only the entries with an ErrorCode, never the whole batch.',
    );
  }
}

/** putAll's answer must say what happened: every event sent, its PutRecords calls, the simulated time. */
export function expectSummary(ctx: Context, run: PutRun, stream: string, events: number): void {
  const s = run.summary as Partial<PutSummary> | null | undefined;
  const calls = requestsTo(ctx, stream).length;
  const want = { sent: events, requests: calls, elapsedMs: run.elapsedMs };
  if (!s || typeof s !== 'object' || s.sent !== want.sent || s.requests !== want.requests || s.elapsedMs !== want.elapsedMs) {
    fail(
      `putAll resolved with ${describe(run.summary)}; for this run it must be ${JSON.stringify(want)}: the events sent, the PutRecords calls made (failed ones too) and the simulated ms from start to end (clock.now() at the end minus at the start).`,
    );
  }
}

/** The records must carry partitionKeyFor(event) as PartitionKey and the event's JSON as Data. */
export function expectRecordsOfEvents(ctx: Context, stream: string, events: readonly ClickEvent[]): void {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  for (const record of ctx.fake.records(stream)) {
    const id = eventIdOf(record);
    const event = id === undefined ? undefined : byId.get(id);
    if (!event) continue; // expectDelivered names records that are not events
    const key = ctx.ingest.partitionKeyFor({ ...event });
    if (record.partitionKey !== key) {
      fail(`The record of ${event.eventId} has the PartitionKey '${record.partitionKey}', but partitionKeyFor gives '${String(key)}' for it: use partitionKeyFor(event) for every record, or one user's events scatter over the shards.`);
    }
    const data = JSON.parse(decoder.decode(record.data)) as Record<string, unknown>;
    const fields = Object.keys(event) as (keyof ClickEvent)[];
    if (Object.keys(data).length !== fields.length || fields.some((f) => data[f] !== event[f])) {
      fail(`The record of ${event.eventId} holds ${describe(data)}; its Data must be the event itself, JSON.stringify(event), every field as given.`);
    }
  }
}

/** An empty list of events: no call at all, and a summary of nothing. */
export async function expectNothingForNothing(ctx: Context, stream: string): Promise<void> {
  const run = await runPut(ctx, stream, [], 1);
  expectResolved(ctx, run, stream, 'For an empty list of events');
  const calls = requestsTo(ctx, stream).length;
  if (calls) fail(`For an empty list of events putAll sent ${count(calls, 'PutRecords call')}; Kinesis refuses a PutRecords of no records (ValidationException). Send nothing.`);
  expectSummary(ctx, run, stream, 0);
}

/** Events that fit the stream without throttling: all in, once, as records of the events, in batches within the limits. */
export async function expectPut(ctx: Context, stream: string, events: readonly ClickEvent[], what: string, figure?: string): Promise<PutRun> {
  const run = await runPut(ctx, stream, events, 3, figure);
  expectBatchLimits(ctx, stream, what);
  expectResolved(ctx, run, stream, what);
  expectDelivered(run, what);
  expectRecordsOfEvents(ctx, stream, events);
  return run;
}

/** No PutRecords above 500 entries or 10 MiB (data plus partition keys). */
export function expectBatchLimits(ctx: Context, stream: string, what: string): void {
  const requests = requestsTo(ctx, stream);
  const tooMany = requests.find((w) => w.entries > KINESIS_LIMITS.putRecordsEntries);
  if (tooMany) {
    fail(`${what}, your code sent a PutRecords of ${count(tooMany.entries, 'record')}: Kinesis refused it (ValidationException: Member must have length less than or equal to 500). Send at most 500 records a request.`);
  }
  const tooBig = requests.find((w) => w.bytes > KINESIS_LIMITS.putRecordsRequestBytes);
  if (tooBig) {
    fail(
      `${what}, your code sent a PutRecords of ${count(tooBig.entries, 'record')} and ${mb(tooBig.bytes)} of data plus partition keys: Kinesis refused it (InvalidArgumentException: Records size exceeds 10 MB limit). ` +
        'Close a batch before it passes 10 MiB (10,485,760 bytes), counting each record as its data plus its key.',
    );
  }
}

/** An event whose record would be over 1 MiB: putAll throws naming it, before any PutRecords. */
export async function expectOversizedRefused(ctx: Context, stream: string, events: readonly ClickEvent[], oversized: ClickEvent): Promise<void> {
  const clock = new SimulatedClock(ctx.env, 5);
  const bytes = recordBytes(oversized, ctx.ingest.partitionKeyFor({ ...oversized }));
  await expectThrows(() => ctx.ingest.putAll(ctx.kinesis, stream, events.map((e) => ({ ...e })), clock), {
    when: `For ${count(events.length, 'event')} among which ${oversized.eventId} makes a record of ${bytes.toLocaleString('en-US')} bytes (its JSON plus its key; at most 1,048,576)`,
    call: 'putAll',
    naming: { value: oversized.eventId, what: 'the event that is too large' },
    because: 'No PutRecords can carry that record: Kinesis refuses the whole request with InvalidArgumentException.',
  });
  const sent = requestsTo(ctx, stream);
  if (sent.length) {
    fail(`putAll threw for ${oversized.eventId}, but only after sending ${count(sent.length, 'PutRecords call')} (${count(ctx.fake.records(stream).length, 'record')} written): measure every record first, and throw before sending anything, so that a failed putAll never leaves half of its events in the stream.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Step 4: retries.

/** Calls made while a storm lasted, and the waits between them. */
export async function expectBackoff(ctx: Context, stream: string, events: readonly ClickEvent[], stormMs: number, maxCalls: number): Promise<void> {
  const start = ctx.env.clock.now().getTime();
  ctx.fake.failEntries({ code: 'ProvisionedThroughputExceededException', stream, until: new Date(start + stormMs) });
  const run = await runPut(ctx, stream, events, 7);
  const during = requestsTo(ctx, stream).filter((w) => w.at.getTime() < start + stormMs);
  const what = `While every shard refused writes for ${duration(stormMs / 1000)} (another producer had the stream saturated)`;
  if (during.length > maxCalls) {
    const waits = run.clock.waits.filter((w) => w.at < stormMs).map((w) => `${Math.round(w.ms)}`);
    fail(
      `${what}, your code sent ${count(during.length, 'PutRecords call')}; with waits that double from about 100 ms it takes fewer than ${maxCalls}. ` +
        `Your waits (ms): ${waits.length ? list(waits, 8) : 'none — it retried at once'}. Each retry of a throttled shard adds load to it: wait clock.random() × min(2000, 100 × 2^n) ms before retry n.`,
    );
  }
  expectResolved(ctx, run, stream, `${what}, once the shards took writes again`);
  expectDelivered(run, `After the ${duration(stormMs / 1000)} storm`);
}

/** Two producers throttled alike must not wait alike: waits drawn from clock.random(). */
export async function expectJitter(ctx: Context, events: readonly ClickEvent[], stormMs: number): Promise<void> {
  const runs: number[][] = [];
  for (const [stream, seed] of [['clicks-a', 11], ['clicks-b', 12]] as const) {
    ctx.fake.createStream(stream, { shardCount: 1 });
    ctx.fake.failEntries({ code: 'ProvisionedThroughputExceededException', stream, until: new Date(ctx.env.clock.now().getTime() + stormMs) });
    const run = await runPut(ctx, stream, events, seed);
    expectResolved(ctx, run, stream, `While the shard of ${stream} refused writes for ${duration(stormMs / 1000)}`);
    runs.push(run.clock.waits.map((w) => Math.round(w.ms * 1000) / 1000));
  }
  const [a, b] = runs as [number[], number[]];
  if (!a.length) fail(`While a shard refused every write for ${duration(stormMs / 1000)}, putAll never called clock.sleep: it retried at once, again and again. Wait before every retry.`);
  if (a.join() === b.join()) {
    fail(
      `Two producers throttled the same way waited exactly the same: ${list(a.map((ms) => `${ms} ms`), 6)}. Without jitter, every producer that was throttled at the same moment retries at the same moment and is throttled again. ` +
        'Draw each wait at random below its ceiling: clock.random() × min(2000, 100 × 2^n) ms.',
    );
  }
}

/** One shard fails every entry: putAll throws within 55–65 s naming how many events are unsent, the rest delivered once. */
export async function expectGivesUp(ctx: Context, stream: string, events: readonly ClickEvent[], brokenShard: string): Promise<void> {
  const keys = keysOf(ctx, events);
  const stuck = events.filter((_, i) => ctx.fake.shardFor(stream, keys[i]!) === brokenShard);
  ctx.fake.failEntries({ code: 'InternalFailure', stream, shardId: brokenShard });
  const run = await runPut(ctx, stream, events, 9, `Your putAll while ${brokenShard} failed every write`);
  const what = `When ${brokenShard} failed every write (InternalFailure) and ${count(stuck.length, 'event')} of ${events.length} belong there`;
  if (run.thrown === undefined) {
    fail(`${what}, putAll resolved with ${describe(run.summary)} after ${duration(run.elapsedMs / 1000)}: ${count(stuck.length, 'event')} never reached the stream and nobody is told. After 60 s of retries, throw an Error that says how many events are still unsent.`);
  }
  const message = run.thrown instanceof Error ? run.thrown.message : String(run.thrown);
  if (run.elapsedMs < 55_000 || run.elapsedMs > 65_000) {
    fail(`${what}, putAll threw after ${duration(run.elapsedMs / 1000)} of simulated time (${describeThrown(run.thrown, ctx.submission.files)}); keep retrying until 60 s have passed since putAll started, then give up.`);
  }
  if (run.delivery.unacceptedDuplicates) fail(`${what}, ${count(run.delivery.unacceptedDuplicates, 'record')} Kinesis had confirmed were written again: ${describeDuplicates(run.delivery)}. Send again only the entries with an ErrorCode.`);
  if (!message.includes(String(stuck.length))) {
    fail(`${what}, putAll threw "${message}", which does not say how many events are still unsent: ${stuck.length}. Put the number in the message, so whoever reads the log knows what to resend.`);
  }
  const d = run.delivery;
  const others = new Set(stuck.map((e) => e.eventId));
  const lostOthers = d.lost.filter((e) => !others.has(e.eventId));
  if (lostOthers.length) fail(`${what}, ${count(lostOthers.length, 'event')} of the other shards never reached the stream either: ${list(lostOthers.map((e) => e.eventId))}.`);
}

/** Calls that fail as a whole after writing (500): retried, nothing lost; the duplicates this causes are accepted. */
export async function expectServerErrorsRetried(ctx: Context, stream: string, events: readonly ClickEvent[], failures: number): Promise<void> {
  ctx.fake.failAfterWrite({ stream, after: 1, times: failures });
  const run = await runPut(ctx, stream, events, 13, 'Your putAll when calls failed after writing');
  const what = `When ${count(failures, 'PutRecords call')} failed with InternalFailureException (HTTP 500) after Kinesis had written their records`;
  if (run.thrown !== undefined) {
    fail(
      `${what}, putAll threw ${describeThrown(run.thrown, ctx.submission.files)}. A 500 (error.$fault === 'server') or a ProvisionedThroughputExceededException is worth retrying: wait, then send the whole batch again. ` +
        'Its records may already be written; the duplicates this causes are accepted (consumers drop them by eventId).',
    );
  }
  expectDelivered(run, what);
}

/** A request the service refuses for a reason retrying cannot fix: thrown at once. */
export async function expectFailsFast(ctx: Context, stream: string, events: readonly ClickEvent[]): Promise<void> {
  const run = await runPut(ctx, stream, events, 17);
  const calls = requestsTo(ctx, stream).length;
  const name = (run.thrown as { name?: string } | undefined)?.name;
  const message = run.thrown instanceof Error ? run.thrown.message : '';
  if (run.thrown === undefined) fail(`putAll into a stream that does not exist (${stream}) resolved with ${describe(run.summary)}; it must throw: the ResourceNotFoundException Kinesis answered.`);
  if (calls === 0) fail(`putAll into a stream that does not exist (${stream}) threw ${describeThrown(run.thrown, ctx.submission.files)} without sending a PutRecords: send the events, and throw the ResourceNotFoundException Kinesis answers.`);
  if (name !== 'ResourceNotFoundException' && !message.includes(stream)) {
    fail(`putAll into a stream that does not exist (${stream}) threw ${describeThrown(run.thrown, ctx.submission.files)}; throw the ResourceNotFoundException Kinesis answered (or an Error that names the stream).`);
  }
  if (calls > 1 || run.clock.waits.length) {
    fail(
      `putAll into a stream that does not exist (${stream}) sent ${count(calls, 'PutRecords call')} over ${duration(run.elapsedMs / 1000)} before giving up. ResourceNotFoundException, ValidationException and InvalidArgumentException cannot pass by waiting: throw at once. ` +
        "Retry only throttling (ProvisionedThroughputExceededException) and server errors (error.$fault === 'server').",
    );
  }
}

/** Throttling and InternalFailure entries along the way: every event once. */
export async function expectOnlyFailedRetried(ctx: Context, stream: string, events: readonly ClickEvent[], internalFailures: number): Promise<Delivery> {
  let n = 0;
  ctx.fake.failEntries({ code: 'InternalFailure', stream, when: () => n++ % 37 === 5, times: internalFailures });
  const run = await runPut(ctx, stream, events, 19, 'Your putAll through throttling and InternalFailure entries');
  const what = `For ${count(events.length, 'event')} on ${count(ctx.fake.activity(stream).length, 'shard')}, with throttling and ${count(internalFailures, 'InternalFailure entry', 'InternalFailure entries')} on the way`;
  expectBatchLimits(ctx, stream, what);
  expectResolved(ctx, run, stream, what);
  expectDelivered(run, what);
  return run.delivery;
}

/** A burst on a stream of `shards` shards must be in within twice the time an even spread needs. */
export async function expectBurst(ctx: Context, stream: string, events: readonly ClickEvent[], shards: number): Promise<Delivery> {
  const run = await runPut(ctx, stream, events, 23, 'Your putAll of a burst, shard by shard');
  const ideal = events.length / (shards * KINESIS_LIMITS.shardWriteRecordsPerSecond);
  const what = `For a burst of ${count(events.length, 'click')} from ${count(new Set(events.map((e) => e.userId)).size, 'user')} on ${shards} shards`;
  expectBatchLimits(ctx, stream, what);
  expectResolved(ctx, run, stream, what);
  expectDelivered(run, what);
  const d = run.delivery;
  const limit = 2 * ideal;
  if (d.seconds > limit) {
    const busiest = [...d.shards].sort((a, b) => b.records - a.records)[0]!;
    const hot = busiest.share > 1.5 / shards;
    fail(
      `${what}, your run took ${duration(d.seconds)} of simulated time; an even spread needs about ${duration(ideal)} (${shards} shards × 1,000 records/s), and the check allows ${duration(limit)}. ` +
        (hot
          ? `${busiest.shardId} received ${Math.round(busiest.share * 100)}% of the records: a hot shard, which takes 1,000 a second however idle the others are. Key by user (step 2).`
          : `No shard was hot (the busiest had ${Math.round(busiest.share * 100)}%): your waits are too long. Cap them at about 2 s — a shard's budget refills every second.`),
    );
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Step 5: readShard.

export interface ReadRun {
  result: ShardRead;
  clock: SimulatedClock;
}

/** readShard, its answer checked to be a ShardRead. */
export async function runRead(ctx: Context, stream: string, shardId: string, after: string | undefined, call: string): Promise<ReadRun> {
  const clock = new SimulatedClock(ctx.env, 29);
  let result: unknown;
  try {
    result = await ctx.ingest.readShard(ctx.kinesis, stream, shardId, clock, after);
  } catch (error) {
    if (error instanceof RunawayRun) fail(`${call} was still reading after ${duration(clock.elapsedMs / 1000)} of simulated time: stop when a GetRecords answer says MillisBehindLatest 0.`);
    throw error;
  }
  const r = result as Partial<ShardRead> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.events)) fail(`${call} returned ${describe(result)}; it must return { events, lastSequenceNumber }.`);
  return { result: r as ShardRead, clock };
}

/** The events `records` hold, in order. */
export function eventsOf(records: readonly StoredRecord[]): ClickEvent[] {
  return records.map((r) => JSON.parse(decoder.decode(r.data)) as ClickEvent);
}

/** Why `got` is not exactly `expected` in order; undefined when it is. `stored` is the position the read resumed after. */
export function explainRead(
  got: readonly unknown[],
  expected: readonly ClickEvent[],
  context: { call: string; before?: ClickEvent; iteratorTypes?: readonly string[]; getRecordsCalls?: number },
): string | undefined {
  const ids = got.map((e) => (e && typeof e === 'object' && typeof (e as ClickEvent).eventId === 'string' ? (e as ClickEvent).eventId : describe(e)));
  const want = expected.map((e) => e.eventId);
  if (ids.join('|') === want.join('|')) return undefined;
  const { call, before } = context;
  const head = `${call} returned ${count(got.length, 'event')}; the shard holds ${count(want.length, 'event')} to read${before ? ` after ${before.eventId}, the record at the stored sequence number` : ''}`;
  const types = context.iteratorTypes ?? [];
  const startedRight = types.length > 0 && types.every((t) => t === (before ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON'));
  if (!got.length && want.length && startedRight) {
    return `${head}, and your code returned none: it started at ${types[0]}, as it should, but stopped after ${count(context.getRecordsCalls ?? 0, 'GetRecords call')}. An answer with no records does not mean the shard is read: keep calling GetRecords with NextShardIterator until an answer says MillisBehindLatest 0.`;
  }
  if (!got.length && want.length) {
    return `${head}, and your code returned none. ${before ? 'Start AFTER_SEQUENCE_NUMBER at the stored sequence number' : 'Without a stored position, start at TRIM_HORIZON (the oldest record kept)'}: LATEST skips everything that arrived while the consumer was down.`;
  }
  if (before && ids[0] === before.eventId) {
    return `${head}, but your code read ${before.eventId} again first: the stored sequence number is the last record already processed. Use AFTER_SEQUENCE_NUMBER, not AT_SEQUENCE_NUMBER.`;
  }
  if (before && want.length > 1 && ids[0] === want[1] && !ids.includes(want[0]!)) {
    return `${head}, but your code skipped ${want[0]}, the first record after the stored position: AFTER_SEQUENCE_NUMBER already starts after it; keep every record it returns.`;
  }
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (twice.length) return `${head}, but your code returned ${count(twice.length, 'event')} more than once: ${list(twice)}. Read on from where you are, never from the start again.`;
  const missing = want.filter((id) => !seen.has(id));
  if (missing.length) {
    return `${head}, but ${count(missing.length, 'event')} are missing (${list(missing)}): keep calling GetRecords with NextShardIterator until an answer says MillisBehindLatest 0 — an answer with no records can come before more records.`;
  }
  const extra = ids.filter((id) => !want.includes(id));
  if (extra.length) return `${head}, but your code returned events that are not after the stored position in this shard: ${list(extra)}.`;
  return `${head}, in another order: return them in the shard's order (the order GetRecords gives them).`;
}

/** readShard(after) must give exactly `expected`, in order, and lastSequenceNumber for resuming. */
export async function expectRead(
  ctx: Context,
  stream: string,
  shardId: string,
  after: StoredRecord | undefined,
  expected: readonly StoredRecord[],
  lastIfNone?: string,
): Promise<ReadRun> {
  const call = `readShard(kinesis, '${stream}', '${shardId}', clock${after ? `, '${after.sequenceNumber.slice(0, 12)}…'` : ''})`;
  const iteratorsBefore = ctx.env.trace.calls('kinesis', 'GetShardIterator').length;
  const readsBefore = ctx.env.trace.calls('kinesis', 'GetRecords').length;
  const run = await runRead(ctx, stream, shardId, after?.sequenceNumber, call);
  const iteratorTypes = ctx.env.trace
    .calls('kinesis', 'GetShardIterator')
    .slice(iteratorsBefore)
    .map((c) => String((c.input as { ShardIteratorType?: unknown } | undefined)?.ShardIteratorType));
  const getRecordsCalls = ctx.env.trace.calls('kinesis', 'GetRecords').length - readsBefore;
  const problem = explainRead(run.result.events, eventsOf(expected), { call, iteratorTypes, getRecordsCalls, ...(after ? { before: eventsOf([after])[0]! } : {}) });
  if (problem) fail(problem);
  const last = expected.at(-1)?.sequenceNumber ?? lastIfNone;
  if (run.result.lastSequenceNumber !== last) {
    fail(
      `${call} returned lastSequenceNumber ${describe(run.result.lastSequenceNumber)}; it must be ${last === undefined ? 'undefined (nothing was read, and there was no position to keep)' : `'${last}', the sequence number of ${expected.length ? 'the last record read' : 'the position it was given, since nothing new was read'}`}: the next call resumes after it.`,
    );
  }
  return run;
}

/** No GetRecords refused for the call rate: at most 5 a second on a shard. */
export function expectReadRate(ctx: Context, stream: string, shardId: string, call: string): void {
  const row = ctx.fake.activity(stream).find((s) => s.shardId === shardId)!;
  if (row.throttledReads) {
    const times = ctx.env.trace.calls('kinesis', 'GetRecords').slice(0, 8).map((c) => `${c.atMs} ms`);
    fail(
      `${call}: Kinesis refused ${count(row.throttledReads, 'GetRecords call')} with ProvisionedThroughputExceededException: a shard serves 5 GetRecords a second, shared by everyone reading it. Your calls came at ${list(times, 8)}. ` +
        'Wait 200 ms (clock.sleep(200)) between GetRecords calls.',
    );
  }
}

export { MiB };
