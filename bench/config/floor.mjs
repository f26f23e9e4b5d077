// The parse floor the config figures are measured against: read every YAML file under a folder once and parse
// it with `yaml`, nothing else. Prints its own CPU time (user + system, the whole process) as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: floor.mjs DIR\n');
  process.exit(2);
}
let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) {
      const text = readFileSync(p, 'utf8');
      parse(text);
      files++;
      bytes += text.length;
    }
  }
};
walk(root);
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ files, bytes, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
