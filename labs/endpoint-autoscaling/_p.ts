import { RECS_LOAD_TEST, RECS_DAY } from './scenarios.ts';
import { referenceTarget } from './reference.ts';
console.log(JSON.stringify(RECS_LOAD_TEST.points), referenceTarget(RECS_LOAD_TEST));
console.log(JSON.stringify(RECS_DAY.scenario.loadTest.points), referenceTarget(RECS_DAY.scenario.loadTest), RECS_DAY.endpoint);
