import { RECS_DAY, seededDays } from './scenarios.ts';
import { simulateDay } from './capacity-simulator.ts';
import { referenceTarget } from './reference.ts';
const which = process.argv[2] ?? 'public';
const d = which === 'public' ? RECS_DAY : seededDays(Number(process.argv[3]))[which === 'gpu' ? 0 : 1]!;
const T = referenceTarget(d.scenario.loadTest)!;
const min = Math.max(1, d.forecast.minInstances), max = Math.max(min, Math.ceil(d.forecast.peakRequestsPerSecond * 60 / T));
for (const cd of [60, 600]) {
  const run = simulateDay(d.scenario, { minCapacity: min, maxCapacity: max, policy: { targetValue: T, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: cd, disableScaleIn: false } });
  console.log('cd', cd, 'T', T, 'max', max, 'over:', run.minutes.filter((m) => m.overGoal).map((m) => `${m.minute}:${m.requests}/${m.inService}=${m.latencyMs}`).join(' '));
}
