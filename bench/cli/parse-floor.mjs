// The parse floor of the scale figures: read every YAML file of the workspace once and parse it with `yaml`,
// nothing else. `describe stacks` and `list` are measured as multiples of this process's CPU.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: parse-floor.mjs DIR\n');
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
process.stdout.write(`${JSON.stringify({ files, bytes })}\n`);
