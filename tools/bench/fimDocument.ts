// The file the fill-in-the-middle typing step edits: ordinary TypeScript with code on both sides of
// the cursor, fixed here (not read from src/) so results stay comparable from run to run.

export interface FimDocument {
  /** Workspace-relative path, written as the prompt's comment header. */
  path: string;
  languageId: string;
  /** The text before and after the cursor, before anything is typed. */
  before: string;
  after: string;
}

const beforeLines = [
  "import { readFile } from 'node:fs/promises';",
  "import type { Logger } from '../common/logger';",
  '',
  '/** One line of a stock file: SKU, warehouse, quantity on hand and unit price in cents. */',
  'export interface StockLine {',
  '  sku: string;',
  '  warehouse: string;',
  '  quantity: number;',
  '  priceCents: number;',
  '}',
  '',
  'export interface StockReport {',
  '  lines: StockLine[];',
  '  skipped: number;',
  '  totalCents: number;',
  '}',
  '',
  'const HEADER = /^sku,warehouse,quantity,price$/i;',
  '',
  '/** Parses one CSV row; undefined when a field is missing or not a number. */',
  'export function parseStockLine(row: string): StockLine | undefined {',
  "  const [sku, warehouse, quantity, price] = row.split(',').map((cell) => cell.trim());",
  '  if (!sku || !warehouse) return undefined;',
  '  const count = Number(quantity);',
  '  const cents = Math.round(Number(price) * 100);',
  '  if (!Number.isInteger(count) || !Number.isFinite(cents)) return undefined;',
  '  return { sku, warehouse, quantity: count, priceCents: cents };',
  '}',
  '',
  '/** Merges lines of the same SKU and warehouse, adding their quantities. */',
  'export function mergeLines(lines: readonly StockLine[]): StockLine[] {',
  '  const merged = new Map<string, StockLine>();',
  '  for (const line of lines) {',
  '    const key = `${line.sku}@${line.warehouse}`;',
  '    const seen = merged.get(key);',
  '    if (seen) seen.quantity += line.quantity;',
  '    else merged.set(key, { ...line });',
  '  }',
  '  return [...merged.values()];',
  '}',
  '',
  '/** Reads a stock file and totals its value; bad rows are counted and logged, not fatal. */',
  'export async function loadStockReport(path: string, log: Logger): Promise<StockReport> {',
  "  const text = await readFile(path, 'utf8');",
  "  const rows = text.split(/\\r?\\n/).filter((row) => row.trim() !== '');",
  '  if (rows.length > 0 && HEADER.test(rows[0])) rows.shift();',
  '  const lines: StockLine[] = [];',
  '  let skipped = 0;',
  '  for (const [index, row] of rows.entries()) {',
  '    const line = parseStockLine(row);',
  '    if (!line) {',
  '      skipped++;',
  '      log.warn(`${path}:${index + 2}: cannot read "${row}"`);',
  '      continue;',
  '    }',
  '    lines.push(line);',
  '  }',
  '  const merged = mergeLines(lines);',
  '  ',
];

const afterLines = [
  '',
  '}',
  '',
  '/** The SKUs whose quantity is below `threshold` in any warehouse, sorted. */',
  'export function lowStock(report: StockReport, threshold = 5): string[] {',
  '  const low = new Set<string>();',
  '  for (const line of report.lines) {',
  '    if (line.quantity < threshold) low.add(line.sku);',
  '  }',
  '  return [...low].sort();',
  '}',
  '',
  '/** Formats cents as a price with two decimals and thousands separators. */',
  'export function formatPrice(cents: number): string {',
  "  return (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });",
  '}',
  '',
  '/** A plain-text table of the report, one warehouse per block. */',
  'export function renderReport(report: StockReport): string {',
  '  const byWarehouse = new Map<string, StockLine[]>();',
  '  for (const line of report.lines) {',
  '    const list = byWarehouse.get(line.warehouse) ?? [];',
  '    list.push(line);',
  '    byWarehouse.set(line.warehouse, list);',
  '  }',
  '  const out: string[] = [];',
  '  for (const [warehouse, lines] of [...byWarehouse].sort(([a], [b]) => a.localeCompare(b))) {',
  '    out.push(`${warehouse}:`);',
  '    for (const line of lines) {',
  '      out.push(`  ${line.sku.padEnd(12)} ${String(line.quantity).padStart(6)}  ${formatPrice(line.priceCents)}`);',
  '    }',
  '  }',
  '  out.push(`total ${formatPrice(report.totalCents)} (${report.skipped} rows skipped)`);',
  "  return out.join('\\n');",
  '}',
  '',
];

/**
 * `loadStockReport` with its last statement missing: the cursor sits on an indented empty line
 * before the function's closing brace, with three more functions below it.
 */
export const fimDocument: FimDocument = {
  path: 'src/inventory/stockReport.ts',
  languageId: 'typescript',
  before: beforeLines.join('\n'),
  after: afterLines.join('\n'),
};

/** What the user types there, one character per keystroke. */
export const fimTyped = 'retu';
