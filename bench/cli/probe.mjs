// Preloaded with `node --import` into every process the CLI bench measures (the CLI and the parse floor alike),
// so each figure is the process's own: CPU (user + system) and peak RSS, written as JSON to $BENCH_PROBE_OUT at
// exit. With $BENCH_COUNT_KEYTAR set, it also counts calls into the OS keychain module (keytar), wrapping its
// functions in place before the CLI imports it (node shares one CommonJS instance between require and import).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.BENCH_PROBE_OUT;
const keychainCalls = {};
if (process.env.BENCH_COUNT_KEYTAR) {
  const keytar = createRequire(import.meta.url)('keytar');
  for (const name of ['getPassword', 'setPassword', 'deletePassword', 'findCredentials', 'findPassword']) {
    const real = keytar[name];
    keychainCalls[name] = 0;
    keytar[name] = (...args) => {
      keychainCalls[name]++;
      return real(...args);
    };
  }
}
process.on('exit', () => {
  if (!out) return;
  const cpu = process.cpuUsage();
  writeFileSync(
    out,
    JSON.stringify({
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      keychainCalls,
    }),
  );
});
