// The chart painter the statistics page uses. Until the charting library is added to the project,
// charts are not drawn: each chart's area carries its description for screen readers, and the tables
// beside it carry the numbers.
import type { ChartPainter } from './chartTypes';

export const chartPainter: ChartPainter = {
  paint(host, spec) {
    host.replaceChildren();
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', spec.label);
    host.hidden = true;
  },
};
