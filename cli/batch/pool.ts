// A fixed number of workers taking items off one queue. A task that rejects costs only its own
// item (reported through onError); the pool itself never rejects and never stops early except
// when the signal says so, and then it only stops *starting* items: in-flight ones finish or are
// cancelled by the same signal inside the task.

export interface PoolOptions<T> {
  jobs: number;
  signal?: AbortSignal;
  onError?: (item: T, error: unknown) => void;
}

export async function runPool<T>(items: readonly T[], task: (item: T) => Promise<void>, options: PoolOptions<T>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        try {
          options.onError?.(item, error);
        } catch {
          // A broken error reporter must not take the other workers down with it.
        }
      }
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs, items.length));
  await Promise.all(Array.from({ length: jobs }, worker));
}
