// Inkling's download cache against a hub that misbehaves in every way seen in the field: each fault
// ends in a verified model (repaired: resumed, or deleted and fetched once more) or in one clear
// message, and no file that is not exactly what the hub publishes is ever left under its real name.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync, truncateSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureHubModel, type HubModelRequest } from '../../../src/model/process/download/hubModel';
import type { DownloadError } from '../../../src/model/process/download/downloadError';
import type { LoadProgress } from '../../../src/model/protocol';
import { closedPort, startHub, sha256, type Fault, type HubServer } from '../../support/hubServer';
import { ensureTestModel } from '../../../tools/makeModel/modelCache';

const REPO = 'inkling-test/successor';

/** Every file under `folder`, relative, "/"-separated. */
function filesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(folder, path).split('\\').join('/'));
    }
  };
  walk(folder);
  return out.sort();
}

describe('the download cache against a faulty hub', function () {
  this.timeout(60_000);
  let source: string;
  let hub: HubServer;
  let cacheDir: string;
  const folder = () => join(cacheDir, 'inkling-test', 'successor');
  const progress: LoadProgress[] = [];

  const fetchModel = (extra: Partial<HubModelRequest> = {}) => ensureHubModel({
    repo: REPO, dtype: 'fp32', cacheDir, hubUrl: hub.url, idleMs: 10_000, onProgress: (p) => progress.push(p), ...extra,
  });
  const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a failure'), (error: DownloadError) => error);
  const withFaults = async (faults: Fault[]) => {
    await hub?.close();
    hub = await startHub({ [REPO]: source }, { faults });
  };
  /** The model files in the cache, each byte for byte the hub's. */
  const assertIntact = () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx']) {
      assert.equal(sha256(readFileSync(join(folder(), file))), sha256(readFileSync(join(source, file))), `${file} differs from the hub's`);
    }
    assert.deepEqual(filesIn(folder()).filter((f) => !['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model.onnx', '.inkling-verified.json'].includes(f)), [], 'files beyond the model');
  };
  /** What may stay after a failure: verified files only, each exactly the hub's. */
  const assertNothingCorrupt = () => {
    for (const file of filesIn(folder())) {
      if (file === '.inkling-verified.json') continue;
      assert.ok(!file.endsWith('.partial') && !file.includes('.tmp.'), `${file} left behind`);
      assert.equal(sha256(readFileSync(join(folder(), file))), sha256(readFileSync(join(source, file))), `${file} is not the hub's`);
    }
  };
  const gets = (file: string) => hub.log.filter((r) => r.method === 'GET' && r.path.endsWith(`/${file}`));

  before(async () => {
    source = await ensureTestModel('successor');
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'inkling-faults-'));
    progress.length = 0;
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
  after(async () => hub?.close());

  it('downloads every file, verified, and a second load makes no request at all', async () => {
    await withFaults([]);
    assert.equal(await fetchModel(), folder());
    assertIntact();
    assert.ok(progress.some((p) => p.status === 'download' && p.file === 'onnx/model.onnx' && p.percent === 100));
    const before = hub.requests.length;
    await fetchModel();
    assert.equal(hub.requests.length, before, `requests on the second load: ${hub.requests.slice(before).join(', ')}`);
  });

  it('resumes a file whose connection dropped mid-way with a Range request, and verifies the whole', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'early-close', times: 1 }]);
    await fetchModel();
    assertIntact();
    const [first, second] = gets('onnx/model.onnx').filter((r) => r.path.startsWith('/cdn/'));
    assert.equal(first?.headers.range, undefined);
    assert.match(String(second?.headers.range), /^bytes=[1-9]\d*-$/);
  });

  it('takes a body shorter than the size the hub publishes for an interrupted one, and completes it', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'short-body', times: 1 }]);
    await fetchModel();
    assertIntact();
  });

  it('refetches a body cut short without a length, which only its hash or JSON shows', async () => {
    await withFaults([{ file: 'config.json', kind: 'no-length-early-close', times: 1 }, { file: 'onnx/model.onnx', kind: 'no-length-early-close', times: 1 }]);
    await fetchModel();
    assertIntact();
  });

  it('deletes a copy whose bytes do not match the published sha256 and fetches it once more', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'wrong-bytes', times: 1 }]);
    await fetchModel();
    assertIntact();
    assert.equal(gets('onnx/model.onnx').filter((r) => r.path.startsWith('/cdn/')).length, 2);
  });

  it('gives up after the second damaged copy, says so, and keeps nothing damaged', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'wrong-bytes' }]);
    const error = await failure(fetchModel());
    const expected = sha256(readFileSync(join(source, 'onnx/model.onnx')));
    assert.equal(error.fault, 'mismatch');
    assert.match(error.message, new RegExp(`^The download of onnx/model\\.onnx for inkling-test/successor did not match what the hub publishes \\(its hash is [0-9a-f]{12}… instead of ${expected.slice(0, 12)}…\\), again after the damaged copy was deleted and downloaded a second time\\. The hub, a mirror or a proxy is serving a damaged copy; nothing damaged was kept\\. Try again later or choose another model\\.$`));
    assertNothingCorrupt();
  });

  it('ends early twice when the server always cuts the file short, and says how much arrived', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'short-body' }]);
    const error = await failure(fetchModel());
    const size = statSync(join(source, 'onnx/model.onnx')).size;
    // Each of the three tries resumes where the last stopped and gets half of what is left.
    let arrived = 0;
    for (let i = 0; i < 3; i++) arrived += Math.floor((size - arrived) / 2);
    assert.equal(error.fault, 'incomplete');
    assert.equal(error.message, `The download of onnx/model.onnx for inkling-test/successor ended early: ${asPeopleRead(arrived)} of ${asPeopleRead(size)} arrived, again after the damaged copy was deleted and downloaded a second time. The connection or a proxy cut it off; nothing incomplete is used. Try again later.`);
    assertNothingCorrupt();
  });

  it('refuses a captive portal page where config.json belongs, naming the hub', async () => {
    await withFaults([{ file: 'config.json', kind: 'html' }]);
    const error = await failure(fetchModel());
    assert.equal(error.fault, 'html');
    assert.equal(error.message, `The model hub (${hub.url}) answered with a web page instead of config.json for inkling-test/successor, again after the damaged copy was deleted and downloaded a second time: a sign-in page, a captive portal or a proxy is in the way. Open ${hub.url} in a browser and sign in if asked, then load the model again, or check inkling.model.hubUrl.`);
    assert.deepEqual(filesIn(folder()), []);
  });

  it('says which weights the hub lacks, and which setting to change', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'not-found' }]);
    const error = await failure(fetchModel());
    assert.equal(error.fault, 'not-found');
    assert.equal(error.message, `Inkling could not find the model inkling-test/successor: the model hub (${hub.url}) has no onnx/model.onnx for it (HTTP 404), so it has no fp32 weights; set inkling.model.dtype to another value. Check the inkling.model.id setting.`);
    assertNothingCorrupt();
    assert.equal(gets('onnx/model.onnx').length, 0, 'a GET after the HEAD said 404');
  });

  it('calls a redirect loop a redirect loop, not an unreachable hub', async () => {
    await withFaults([{ file: 'config.json', kind: 'redirect-loop' }]);
    const error = await failure(fetchModel());
    assert.equal(error.fault, 'redirect-loop');
    assert.equal(error.message, `The model hub (${hub.url}) kept redirecting the request for config.json of inkling-test/successor (2 redirects, back to ${hub.url}inkling-test/successor/resolve/main/config.json) instead of sending it. A proxy or mirror is misconfigured; check inkling.model.hubUrl.`);
  });

  it('works with a mirror that refuses HEAD requests', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'no-head' }, { file: 'tokenizer.json', kind: 'no-head' }]);
    await fetchModel();
    assertIntact();
  });

  it('tries again after a server error', async () => {
    await withFaults([{ file: 'config.json', kind: 'server-error', times: 1 }]);
    await fetchModel();
    assertIntact();
  });

  it('notices a stall within the idle timeout, keeps the partial file, and the next load resumes it', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'stall' }]);
    const started = Date.now();
    const error = await failure(fetchModel({ idleMs: 300 }));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.equal(error.fault, 'stalled');
    assert.equal(error.message, 'The download of inkling-test/successor stalled: the hub sent nothing for 0.3 s while sending onnx/model.onnx. Check your network connection; loading the model again resumes where it stopped.');
    assert.ok(existsSync(join(folder(), 'onnx/model.onnx.partial')), 'no partial file to resume');
    assert.ok(!existsSync(join(folder(), 'onnx/model.onnx')));
    hub.setFaults([]);
    await fetchModel();
    assertIntact();
    const last = gets('onnx/model.onnx').filter((r) => r.path.startsWith('/cdn/')).at(-1);
    // Three tries each got the first 64 KiB of what was left before stalling.
    assert.equal(last?.headers.range, `bytes=${3 * 65536}-`);
  });

  it('starts over when the server ignores the Range of a resumed file', async () => {
    await withFaults([{ file: 'onnx/model.onnx', kind: 'early-close', times: 1 }, { file: 'onnx/model.onnx', kind: 'ignore-range', times: 1 }]);
    await fetchModel();
    assertIntact();
  });

  it('stops a cancelled download at once and leaves no partial or temporary file', async () => {
    await hub?.close();
    hub = await startHub({ [REPO]: source }, { chunkDelayMs: 100 });
    const controller = new AbortController();
    const error = await failure(fetchModel({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file === 'onnx/model.onnx' && (p.percent ?? 0) > 0) controller.abort();
      },
    }));
    assert.equal(error.fault, 'cancelled');
    assert.equal(error.message, 'The download of inkling-test/successor was cancelled.');
    assertNothingCorrupt();
    assert.ok(!existsSync(join(folder(), 'onnx/model.onnx')));
    assert.deepEqual(readdirSync(join(cacheDir, 'inkling-test')).filter((f) => f.includes('lock')), [], 'the lock stayed');
  });

  it('shares one download between two loads of the same model, the second waiting for the first', async () => {
    await hub?.close();
    hub = await startHub({ [REPO]: source }, { chunkDelayMs: 30 });
    const [a, b] = await Promise.all([fetchModel(), fetchModel()]);
    assert.equal(a, b);
    assertIntact();
    assert.equal(gets('onnx/model.onnx').filter((r) => r.path.startsWith('/cdn/')).length, 1, hub.requests.join('\n'));
    // Whichever waited showed the other's progress.
    assert.ok(progress.some((p) => /another window is downloading it/.test(p.file ?? '')), JSON.stringify(progress.slice(0, 5)));
  });

  it('keeps files from an older cache that match what the hub publishes, downloading nothing again', async () => {
    await withFaults([]);
    cpSync(source, folder(), { recursive: true });
    await fetchModel();
    assertIntact();
    assert.deepEqual(hub.log.filter((r) => r.method === 'GET').map((r) => r.path), [], 'downloaded again');
  });

  it('loads files from an older cache without checking them when the hub cannot be reached', async () => {
    await withFaults([]);
    cpSync(source, folder(), { recursive: true });
    const offline = `http://127.0.0.1:${await closedPort()}/`;
    assert.equal(await fetchModel({ hubUrl: offline }), folder());
    assertIntact();
  });

  it('replaces a verified file that was cut short on disk since', async () => {
    await withFaults([]);
    await fetchModel();
    truncateSync(join(folder(), 'tokenizer.json'), 100);
    await fetchModel();
    assertIntact();
  });

  it('sweeps temporary files a killed download left, and stale partial files', async () => {
    await withFaults([]);
    mkdirSync(join(folder(), 'onnx'), { recursive: true });
    writeFileSync(join(folder(), 'onnx/model.onnx.tmp.4242.x1y2'), 'leftover');
    writeFileSync(join(folder(), 'tokenizer.json.partial'), 'no resume note');
    writeFileSync(join(folder(), 'onnx/model.onnx.partial'), 'old');
    writeFileSync(join(folder(), 'onnx/model.onnx.partial.json'), '{"etag":"x"}');
    const old = new Date(Date.now() - 8 * 24 * 3600_000);
    utimesSync(join(folder(), 'onnx/model.onnx.partial'), old, old);
    await fetchModel();
    assertIntact();
  });

  it('sends HF_TOKEN to no hub but the default one over https', async () => {
    await withFaults([]);
    process.env.HF_TOKEN = 'hf_secret';
    try {
      await fetchModel();
    } finally {
      delete process.env.HF_TOKEN;
    }
    assert.ok(hub.log.length > 0);
    assert.deepEqual(hub.log.filter((r) => r.headers.authorization !== undefined).map((r) => r.path), []);
  });
});

/** Sizes as the messages write them (pinned with literal values in downloadError.test.ts). */
function asPeopleRead(bytes: number): string {
  return bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
