// The chart painter the statistics page uses: uPlot, behind the small ChartPainter interface.
import type { ChartPainter } from './chartTypes';
import { uplotPainter } from './uplotPainter';

export const chartPainter: ChartPainter = uplotPainter;
