// Several processes, one truth: two app processes on one store (every store of test/helpers/store-targets.ts) behave
// as one app: writes, revocations, logouts, the limit and the admin view are the same on both.
import { twoAppProcessesSpec } from './helpers/cross-process.js';
import { storeTargets } from './helpers/store-targets.js';

for (const target of await storeTargets('multi-process')) twoAppProcessesSpec(target);
