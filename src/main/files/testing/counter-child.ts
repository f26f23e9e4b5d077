// Child process for the lock proof: increments a counter file `times` times with read-modify-write, each
// under the cross-process lock. Prints the number of increments that reported success.
import { updateFileAtomic } from '../atomic-write';

const [file, times] = process.argv.slice(2);
let ok = 0;
for (let i = 0; i < Number(times); i++) {
  await updateFileAtomic(file, (current) => String(Number(current?.toString() ?? '0') + 1));
  ok++;
}
process.stdout.write(String(ok));
