// Every golden case through the single entry point, fitCompletion, and the same output streamed in
// random pieces; after accepting, nothing the user typed is lost and brackets and quotes are no worse.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { balanceProblems, stateAfter, syntaxFor } from '../../../src/completion/codeScanner';
import type { FitEdit, FitInput } from '../../../src/completion/fitCompletion';
import { fitCompletion, startFit } from '../../../src/completion/fitCompletion';
import { restOfLine } from '../../../src/completion/fitContext';
import { repoRoot } from '../../../tools/repoRoot';
import type { GoldenCase } from './goldenCases';
import { loadGoldenCases } from './goldenCases';

const RULES = new Set(['keep', 'stopStrings', 'lineEnds', 'repetition', 'fences', 'meetLine', 'seamSpace', 'scope', 'closingLine', 'suffixLines', 'lineCap', 'bracketBalance', 'closers']);
const cases = loadGoldenCases(join(repoRoot(), 'test', 'golden', 'completion'));

function accept(input: FitInput, edit: FitEdit): string {
  return input.before + edit.insertText + input.after.slice(edit.replaceLength);
}

/** The model's text in random pieces, stopping as soon as the stream says it has enough. */
function streamed(input: FitInput, seed: number): FitEdit | undefined {
  const stream = startFit(input);
  if (!stream) return undefined;
  let random = seed;
  const next = () => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648;
  const text = input.modelOutput;
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(next() * 6);
    if (stream.push(text.slice(at, at + size))) break;
    at += size;
  }
  return stream.finish();
}

/** `part` can be read out of `whole` in order, skipping characters. */
function isSubsequence(part: string, whole: string): boolean {
  let at = 0;
  for (const ch of whole) if (at < part.length && ch === part[at]) at++;
  return at === part.length;
}

function lineOf(text: string, from: number, to: number): string {
  const start = text.lastIndexOf('\n', from - 1) + 1;
  const end = text.indexOf('\n', to);
  return text.slice(start, end < 0 ? text.length : end);
}

function checkInvariants(c: GoldenCase, edit: FitEdit): void {
  const { before, after, languageId } = c.input;
  const lineEnd = after.indexOf('\n');
  const lineSuffix = lineEnd < 0 ? after : after.slice(0, lineEnd);
  assert.ok(edit.replaceLength >= 0 && edit.replaceLength <= lineSuffix.length, 'replaces only on the cursor line');
  if (restOfLine(lineSuffix) === 'closers') assert.equal(edit.replaceLength, lineSuffix.length, 'closers after the cursor are replaced to the line end');
  const replaced = after.slice(0, edit.replaceLength);
  assert.ok(isSubsequence(replaced, edit.insertText), `the replaced ${JSON.stringify(replaced)} survives in ${JSON.stringify(edit.insertText)}`);
  const syntax = syntaxFor(languageId);
  const document = before + after;
  const accepted = accept(c.input, edit);
  const from = stateAfter(before.slice(0, before.lastIndexOf('\n') + 1), syntax);
  const lineBefore = lineOf(document, before.length, before.length);
  const lineAfter = lineOf(accepted, before.length, before.length + edit.insertText.length);
  assert.ok(balanceProblems(lineAfter, syntax, from) <= balanceProblems(lineBefore, syntax, from), `the edited line is less balanced: ${JSON.stringify(lineAfter)}`);
  assert.ok(balanceProblems(accepted, syntax) <= balanceProblems(document, syntax), 'the document is less balanced');
}

describe('golden completion cases', () => {
  it('has at least 150 cases in at least 8 languages, each naming the rule it guards', () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    const languages = new Set(cases.map((c) => c.input.languageId));
    assert.ok(languages.size >= 8, [...languages].join(', '));
    for (const c of cases) assert.ok(RULES.has(c.rule), `${c.where}: unknown rule ${c.rule}`);
    const ids = cases.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'case ids are unique');
  });

  for (const c of cases) {
    it(`${c.id} (${c.rule}): ${c.title}`, () => {
      const edit = fitCompletion(c.input);
      const shown = edit && accept(c.input, edit);
      assert.equal(shown, c.accepted, `${c.where}: ${JSON.stringify(edit)}`);
      if (edit) checkInvariants(c, edit);
      for (let seed = 1; seed <= 5; seed++) assert.deepEqual(streamed(c.input, seed), edit, `${c.where}: streamed in pieces (seed ${seed})`);
    });
  }
});
