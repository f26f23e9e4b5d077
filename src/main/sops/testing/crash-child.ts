// Child process of the crash-safety proof: runs step `argv[3]` of the plan in folder `argv[2]` and SIGKILLs
// itself at the k-th crash point of that step's write path (`argv[4]`). Each child starts from a snapshot of
// the folder as the steps before left it, so every kill point costs one process start and one write.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setCrashPointHook } from '../../files';
import { AgeKeySource } from '../keysources/age';
import { loadPlan, runCrashStep } from './crash-plan';

const [dir, stepArg, killAtArg] = process.argv.slice(2);
const killAt = Number(killAtArg);
let passed = 0;
setCrashPointHook(() => {
  passed++;
  if (passed === killAt) process.kill(process.pid, 'SIGKILL');
});
const step = loadPlan(dir)[Number(stepArg)];
if (!step) throw new Error(`no step ${stepArg} in the plan`);
const identity = readFileSync(join(dir, 'keys.txt'), 'utf8').trim();
await runCrashStep(dir, step, { age: new AgeKeySource({ identities: [identity] }) });
process.stdout.write(String(passed));
