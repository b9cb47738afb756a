import * as assert from 'node:assert/strict';
import { CSV_COLUMNS, csvField, statisticsCsv } from '../../../src/statistics/statisticsCsv';
import { T0, completion, explanation } from './eventFixtures';

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('statistics: CSV export', () => {
  it('has a header and one row per event, the same columns for both kinds', () => {
    const csv = statisticsCsv([completion(), explanation({ timeToFirstTokenMs: undefined })]);
    const rows = parseCsv(csv);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], ['kind', 'time', ...CSV_COLUMNS.slice(2)]);
    const at = (row: string[], column: string) => row[rows[0]!.indexOf(column)];
    assert.equal(at(rows[1]!, 'kind'), 'completion');
    assert.equal(at(rows[1]!, 'time'), new Date(T0).toISOString());
    assert.equal(at(rows[1]!, 'sinceKeystrokeMs'), '300');
    assert.equal(at(rows[1]!, 'multiline'), 'false');
    assert.equal(at(rows[2]!, 'kind'), 'explain');
    assert.equal(at(rows[2]!, 'source'), '', 'a field that does not apply is empty');
    assert.equal(at(rows[2]!, 'timeToFirstTokenMs'), '');
    assert.ok(csv.endsWith('\r\n'));
  });

  it('quotes commas, quotes and line breaks, so every name survives a round trip', () => {
    const model = 'C:\\models\\"tiny", v2';
    const rows = parseCsv(statisticsCsv([completion({ model, languageId: 'x,y' })]));
    assert.equal(rows[1]![rows[0]!.indexOf('model')], model);
    assert.equal(rows[1]![rows[0]!.indexOf('languageId')], 'x,y');
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('plain'), 'plain');
  });

  it('writes a name a spreadsheet would run as a formula as text', () => {
    const rows = parseCsv(statisticsCsv([completion({ model: '=HYPERLINK("http://x")', languageId: '@sum' }), completion({ model: '+1', languageId: '-2' })]));
    const models = rows.slice(1).map((r) => r[rows[0]!.indexOf('model')]);
    const languages = rows.slice(1).map((r) => r[rows[0]!.indexOf('languageId')]);
    assert.deepEqual(models, ['\'=HYPERLINK("http://x")', '\'+1']);
    assert.deepEqual(languages, ['\'@sum', '\'-2']);
  });

  it('is just the header with no events', () => {
    assert.equal(parseCsv(statisticsCsv([])).length, 1);
  });
});
