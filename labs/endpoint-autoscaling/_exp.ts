import { RECS_DAY, seededDays } from './scenarios.ts';
import type { DayCase } from './scenarios.ts';
import { simulateDay } from './capacity-simulator.ts';
import { referenceTarget, summarise, idealInstanceHours } from './reference.ts';

function configs(d: DayCase) {
  const T = referenceTarget(d.scenario.loadTest)!;
  const min = Math.max(1, d.forecast.minInstances);
  const max = (t: number) => Math.max(min, Math.ceil(d.forecast.peakRequestsPerSecond * 60 / t));
  const pol = (t: number, inCd: number, outCd = 60) => ({ targetValue: t, scaleOutCooldownSeconds: outCd, scaleInCooldownSeconds: inCd, disableScaleIn: false });
  const rps = T / 60 / d.scenario.loadTest.safetyFactor;
  return {
    solution: { minCapacity: min, maxCapacity: max(T), policy: pol(T, 600) },
    'cd900/max2x': { minCapacity: min, maxCapacity: 2 * max(T), policy: pol(T, 900, 300) },
    'cd1800': { minCapacity: min, maxCapacity: max(T), policy: pol(T, 1800) },
    'cd300': { minCapacity: min, maxCapacity: max(T), policy: pol(T, 300) },
    'cd60': { minCapacity: min, maxCapacity: max(T), policy: pol(T, 60) },
    'noSF': { minCapacity: min, maxCapacity: max(rps * 60), policy: pol(rps * 60, 600) },
    'perSecond': { minCapacity: min, maxCapacity: max(T / 60), policy: pol(T / 60, 600) },
    'maxFloor': { minCapacity: min, maxCapacity: Math.max(min, Math.floor(d.forecast.peakRequestsPerSecond * 60 / T)), policy: pol(T, 600) },
  } as Record<string, any>;
}
const seeds = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : Array.from({ length: 30 }, (_, i) => i + 1);
const worst: Record<string, { over: [number, number]; ratio: [number, number] }> = {};
function record(label: string, over: number, ratio: number) {
  const w = (worst[label] ??= { over: [Infinity, -Infinity], ratio: [Infinity, -Infinity] });
  w.over = [Math.min(w.over[0], over), Math.max(w.over[1], over)];
  w.ratio = [Math.min(w.ratio[0], ratio), Math.max(w.ratio[1], ratio)];
}
const cases: [string, DayCase][] = [['public', RECS_DAY]];
for (const s of seeds) { const [g, q] = seededDays(s); cases.push([`gpu@${s}`, g!], [`quiet@${s}`, q!]); }
for (const [name, d] of cases) {
  for (const [label, cfg] of Object.entries(configs(d))) {
    const run = simulateDay(d.scenario, cfg);
    const sum = summarise(run, Math.max(1, d.forecast.minInstances));
    const ratio = sum.instanceHours / sum.idealInstanceHours;
    record(`${name.split('@')[0]} ${label}`, sum.minutesOverGoal, ratio);
    if (name === 'public') console.log(name, label.padEnd(12), JSON.stringify(sum), ratio.toFixed(2));
  }
}
for (const [k, v] of Object.entries(worst)) console.log(k.padEnd(20), 'over', v.over.join('..').padEnd(10), 'ratio', v.ratio.map((x) => x.toFixed(2)).join('..'));
