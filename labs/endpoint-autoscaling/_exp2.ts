import { seededDays } from './scenarios.ts';
import { simulateDay } from './capacity-simulator.ts';
import { referenceTarget, maxRps } from './reference.ts';
for (let s = 1; s <= 30; s++) {
  const out: string[] = [];
  for (const d of seededDays(s)) {
    const T = referenceTarget(d.scenario.loadTest)!;
    const min = Math.max(1, d.forecast.minInstances);
    const max = Math.max(min, Math.ceil(d.forecast.peakRequestsPerSecond * 60 / T));
    const r = (cd: number) => simulateDay(d.scenario, { minCapacity: min, maxCapacity: max, policy: { targetValue: T, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: cd, disableScaleIn: false } }).minutesOverGoal;
    out.push(`${d.name.split(' ')[0]} T=${T.toFixed(0)} max=${max} mu=${(d.scenario.loadTest.points.length)} sf=${d.scenario.loadTest.safetyFactor} maxrps=${maxRps(d.scenario.loadTest)} 600:${r(600)} 300:${r(300)} 60:${r(60)}`);
  }
  console.log(s, out.join(' | '));
}
