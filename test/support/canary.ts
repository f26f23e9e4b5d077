// Canary checks for tests: where a distinctive value must never show up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under dir (recursively) whose content contains the canary, except the given ones. */
export function filesContaining(dir: string, canary: string, except: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!except.includes(p) && readFileSync(p).includes(canary)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
