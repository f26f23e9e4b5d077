// Preloaded with `node --import` into every process the CLI bench measures (the CLI and the parse floor alike),
// so each figure is the process's own: CPU (user + system) and peak RSS, written as JSON to $BENCH_PROBE_OUT at
// exit. With $BENCH_COUNT_KEYTAR set, it also counts calls into the OS keychain module (keytar), wrapping its
// functions in place before the CLI imports it (node shares one CommonJS instance between require and import).
import { readFileSync, writeFileSync } from 'node:fs';
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
      peakRssMb: peakRssKb() / 1024,
      keychainCalls,
    }),
  );
});

/**
 * This process's own peak RSS in KiB. On Linux, getrusage's maxrss (process.resourceUsage) is inherited at fork and
 * kept across exec, so a child of a parent that holds a large buffer (the bench, after reading 142 MB of describe
 * output) reported the parent's peak; VmHWM is the peak of this program's own memory.
 */
function peakRssKb() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage is the process's own there (macOS reports bytes: node converts to KiB)
  }
  return process.resourceUsage().maxRSS;
}
