// CLI: npm run make-model -- --kind successor|random|bench|bench-scripted --dtype fp32|q8|q4 --out DIR
//        [--seed N] [--external-data | --inline-data]
import type { WeightDtype } from './linearOps';
import { makeModel } from './makeModel';
import type { MakeModelOptions } from './makeModel';
import { MODEL_KINDS, WEIGHT_DTYPES } from './recipes';
import type { ModelKind } from './recipes';

const USAGE = 'usage: make-model --kind successor|random|bench|bench-scripted --dtype fp32|q8|q4 --out DIR [--seed N] [--external-data|--inline-data]';

function parse(argv: readonly string[]): MakeModelOptions {
  const values = new Map<string, string>();
  let externalData: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--external-data' || arg === '--inline-data') {
      externalData = arg === '--external-data';
    } else if (['--kind', '--dtype', '--out', '--seed'].includes(arg) && i + 1 < argv.length) {
      values.set(arg.slice(2), argv[++i]);
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  const kind = values.get('kind') as ModelKind | undefined;
  const dtype = (values.get('dtype') ?? 'fp32') as WeightDtype;
  const out = values.get('out');
  if (!kind || !MODEL_KINDS.includes(kind)) throw new Error(`--kind must be one of ${MODEL_KINDS.join(', ')}`);
  if (!WEIGHT_DTYPES.includes(dtype)) throw new Error(`--dtype must be one of ${WEIGHT_DTYPES.join(', ')}`);
  if (!out) throw new Error('--out DIR is required');
  const seedText = values.get('seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be an integer');
  return { kind, dtype, out, seed, externalData };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let options: MakeModelOptions;
  try {
    options = parse(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const made = await makeModel(options);
  console.log(`${options.kind} ${options.dtype} model written to ${made.dir} in ${made.ms} ms (${made.files.join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});
