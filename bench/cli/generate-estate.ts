// `node generate-estate.mjs DIR SERVICE [--stacks N] [--components N] [--catalog N]`: writes the estate, prints
// it as JSON.
import { DEFAULT_REPO } from '../config/generate';
import { generateSecretsEstate } from './estate';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const [dir, service] = process.argv.slice(2);
if (!dir || !service) {
  process.stderr.write('usage: generate-estate DIR SERVICE [--stacks N] [--components N] [--catalog N]\n');
  process.exit(2);
}
const estate = generateSecretsEstate(dir, service, {
  ...DEFAULT_REPO,
  stacks: arg('stacks', DEFAULT_REPO.stacks),
  componentsPerStack: arg('components', DEFAULT_REPO.componentsPerStack),
  catalogSize: arg('catalog', DEFAULT_REPO.catalogSize),
});
process.stdout.write(`${JSON.stringify(estate)}\n`);
