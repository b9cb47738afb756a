// Small helpers every Inkling page script shares.

/** The page's element with this id; a missing one is a bug in the page's HTML, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Fills `{0}`, `{1}` … in a localized template. */
export function format(template: string, ...args: unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
}
