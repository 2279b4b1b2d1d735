// SageMaker's four ways to serve a model and the limits that decide between them, with the
// reference reasoning step 1 states: which option a workload needs, and why, in words a
// learner can act on. Facts read 2026-11-30:
// - Real-time: "A customer's model containers must respond to requests within 60 seconds"
//   (API Reference, InvokeEndpoint); payloads up to 6 MB ("the payload size for the endpoint
//   invocation exceeds the limit of 6 MB", SageMaker support on repost.aws; a 413 otherwise).
// - Serverless: "The maximum request and response payload size for serverless invocations is
//   4 MB", "The timeout for the container to respond to inference requests to /invocations is
//   1 minute" (Developer Guide, "Invoke a serverless endpoint"); no GPUs (Developer Guide,
//   Serverless Inference feature exclusions); "workloads that have idle periods between traffic
//   spikes and can tolerate cold starts" (Developer Guide, "Model deployment options").
// - Asynchronous: "large payload sizes (up to 1GB), long processing times (up to one hour), and
//   near real-time latency requirements"; it scales "the instance count to zero when there are
//   no requests" (Developer Guide, "Asynchronous inference"); InvocationTimeoutSeconds up to 3600.
// - Batch transform: "To get predictions for an entire dataset, use SageMaker AI batch
//   transform" (Developer Guide, "Model deployment options").

import { describe } from 'whetstone/checks';
import type { DeploymentOption, Workload } from './starter/serving.ts';

export const LIMITS = {
  realTime: { payloadMB: 6, seconds: 60 },
  serverless: { payloadMB: 4, seconds: 60 },
  asynchronous: { payloadMB: 1024, seconds: 3600 },
} as const;

export const OPTIONS: readonly DeploymentOption[] = ['real-time', 'serverless', 'asynchronous', 'batch-transform'];

export type Decision = { option: DeploymentOption; because: string } | { option: 'none'; because: string };

const mb = (n: number) => `${n.toLocaleString('en-US')} MB`;
const seconds = (n: number) => (n >= 120 && n % 60 === 0 ? `${n / 60} minutes` : `${n.toLocaleString('en-US')} s`);

/** The option step 1's rules give a workload, and the rule that decided it. */
export function decide(w: Workload): Decision {
  if (w.traffic === 'dataset') {
    return { option: 'batch-transform', because: 'it scores a whole dataset on a schedule, nobody waits on one record: batch transform runs the job and stops, with no endpoint paid for in between' };
  }
  if (w.payloadMB > LIMITS.asynchronous.payloadMB || w.processingSeconds > LIMITS.asynchronous.seconds) {
    const what = w.payloadMB > LIMITS.asynchronous.payloadMB ? `${mb(w.payloadMB)} per request, above asynchronous inference's 1 GB (1,024 MB)` : `${seconds(w.processingSeconds)} per request, above asynchronous inference's 1 hour`;
    return { option: 'none', because: `it needs ${what}, and no endpoint takes more` };
  }
  if (w.payloadMB > LIMITS.realTime.payloadMB) {
    return { option: 'asynchronous', because: `its requests are ${mb(w.payloadMB)}, above the 6 MB a real-time (or serverless) invocation takes; asynchronous inference takes up to 1 GB` };
  }
  if (w.processingSeconds > LIMITS.realTime.seconds) {
    return { option: 'asynchronous', because: `the model takes ${seconds(w.processingSeconds)} per request, past the 60 seconds a real-time (or serverless) invocation may take; asynchronous inference allows up to an hour` };
  }
  if (w.traffic === 'intermittent') {
    const misfit = w.gpu
      ? 'the model needs a GPU and serverless inference has none'
      : w.payloadMB > LIMITS.serverless.payloadMB
        ? `its requests are ${mb(w.payloadMB)}, above serverless inference's 4 MB`
        : !w.coldStartOk
          ? 'its callers cannot accept a cold start'
          : undefined;
    if (!misfit) return { option: 'serverless', because: 'its traffic has idle stretches, callers accept a cold start, and each request fits serverless inference (≤ 4 MB, ≤ 60 s, no GPU): it pays nothing while idle' };
    if (w.latency === 'minutes') {
      return { option: 'asynchronous', because: `its traffic has idle stretches but ${misfit}; its answers can wait minutes, so an asynchronous endpoint, which scales to zero between requests, fits` };
    }
    return { option: 'real-time', because: `its traffic has idle stretches but ${misfit}, and its callers wait for the answer: a real-time endpoint` };
  }
  return { option: 'real-time', because: `its traffic is ${w.traffic} and every request fits a real-time invocation (≤ 6 MB, ≤ 60 s): a real-time endpoint with auto scaling` };
}

export function describeWorkload(w: Workload): string {
  const parts = [
    w.traffic === 'dataset' ? 'a dataset on a schedule' : `${w.traffic} traffic`,
    `${mb(w.payloadMB)} per ${w.traffic === 'dataset' ? 'record' : 'request'}`,
    `${seconds(w.processingSeconds)} to process`,
    w.latency === 'interactive' ? 'callers wait' : 'answers may take minutes',
    w.coldStartOk ? 'cold starts OK' : 'no cold starts',
    ...(w.gpu ? ['needs a GPU'] : []),
  ];
  return `'${w.name}' (${parts.join(', ')})`;
}

/** Why `got` is not the option for `w`, in the learner's terms; undefined when it is. */
export function explainOption(w: Workload, got: unknown): string | undefined {
  const d = decide(w);
  if (d.option === 'none') return undefined; // judged by expectThrows
  if (got === d.option) return undefined;
  const head = `For workload ${describeWorkload(w)}, deploymentOption returned ${describe(got)}`;
  if (typeof got !== 'string' || !OPTIONS.includes(got as DeploymentOption)) {
    return `${head}; it must return one of ${OPTIONS.map((o) => `'${o}'`).join(', ')}. This one is '${d.option}': ${d.because}.`;
  }
  return `${head}, but it is '${d.option}': ${d.because}.`;
}
