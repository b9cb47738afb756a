// What the successor test model's explanation must look like wherever a user meets it, written out by
// hand from its script (tools/makeModel/successorScript.ts) so that no test computes its expectation
// with the code it tests (renderMarkdown, commentOut, the explain pipeline).

/** The explanation's markdown, exactly as the panel holds it and the CLI prints it. */
export const EXPLANATION = [
  'This function sorts a list with **quicksort**.',
  '',
  '- It picks the first element as the *pivot*.',
  '- It splits the rest into `left` (smaller) and `right` (not smaller).',
  '- It sorts both parts recursively and joins them around the pivot.',
  '',
  `<img src=x onerror="document.title='pwned'">`,
  '',
  'For example, `quicksort([3, 1, 2])` returns `[1, 2, 3]`.',
].join('\n');

const intro = '<p>This function sorts a list with <strong>quicksort</strong>.</p>\n';
const items = [
  '<li>It picks the first element as the <em>pivot</em>.</li>\n',
  '<li>It splits the rest into <code>left</code> (smaller) and <code>right</code> (not smaller).</li>\n',
  '<li>It sorts both parts recursively and joins them around the pivot.</li>\n',
];
const list = (n: number) => `<ul>\n${items.slice(0, n).join('')}</ul>\n`;
const payload = '<p>&lt;img src=x onerror=&quot;document.title=\'pwned\'&quot;&gt;</p>\n';
const example = '<p>For example, <code>quicksort([3, 1, 2])</code> returns <code>[1, 2, 3]</code>.</p>\n';

/** The panel's HTML after each of the explanation's six tokens: the raw <img> stays text. */
export const EXPLANATION_RENDERS: readonly string[] = [
  intro,
  intro + list(1),
  intro + list(2),
  intro + list(3),
  intro + list(3) + payload,
  intro + list(3) + payload + example,
];

/** "Insert as comment" above a Python line indented by four spaces. */
export const EXPLANATION_AS_INDENTED_PYTHON_COMMENT = [
  '    # This function sorts a list with **quicksort**.',
  '    #',
  '    # - It picks the first element as the *pivot*.',
  '    # - It splits the rest into `left` (smaller) and `right` (not smaller).',
  '    # - It sorts both parts recursively and joins them around the pivot.',
  '    #',
  `    # <img src=x onerror="document.title='pwned'">`,
  '    #',
  '    # For example, `quicksort([3, 1, 2])` returns `[1, 2, 3]`.',
];
