import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EBarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface Bar {
  label: string;
  value: number;
}

/** A horizontal bar chart of real counts; the figure is described in text for screen readers. */
export function BarChart({ title, bars, seriesName, height = 320 }: { title: string; bars: readonly Bar[]; seriesName: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const ordered = [...bars].reverse(); // the first bar on top
    chart.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: ordered.map((b) => b.label), axisLabel: { width: 140, overflow: 'truncate' } },
      series: [{ name: seriesName, type: 'bar', data: ordered.map((b) => b.value), itemStyle: { color: '#1556b8' }, barMaxWidth: 18 }],
    });
    const resize = (): void => {
      chart.resize();
    };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars, seriesName]);

  const summary = bars.map((b) => `${b.label} ${b.value}`).join('；');
  // The figure is described by the wrapper; the canvas itself is hidden from screen readers.
  return (
    <div role="img" aria-label={`${title}：${summary}`}>
      <div ref={ref} aria-hidden style={{ width: '100%', height }} />
    </div>
  );
}
