// Chart colours from VS Code's theme variables (the charts.* colours exist for exactly this, in every
// theme, high contrast included). Canvas cannot read CSS variables itself, so they are read here.

import type { ChartTheme } from './chartTypes';

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const text = css('--vscode-charts-foreground', css('--vscode-foreground', '#888888'));
  return {
    text,
    muted: css('--vscode-descriptionForeground', text),
    grid: css('--vscode-charts-lines', css('--vscode-panel-border', '#80808040')),
    series: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red']
      .map((name) => css(name, text)),
    markers: [css('--vscode-charts-red', text), css('--vscode-charts-purple', text)],
    font: `${css('--vscode-font-size', '13px')} ${css('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Calls `repaint` when the theme changes (VS Code swaps the body's classes and variables) or the page is resized. */
export function onThemeOrSize(repaint: () => void): void {
  new MutationObserver(repaint).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(repaint);
  });
}
