import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { AreaCollection } from '../../lib/geojson';
import type { Scale, Shade } from './places';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type GeoJSONInput = Parameters<typeof echarts.registerMap>[1];
const SHADES = ['#f0f5ff', '#85a5ff', '#1556b8', '#061178'];

/**
 * The tenant's divisions drawn from the boundaries it supplied (the platform ships none), shaded by a measure
 * (volume, satisfaction); an area without a figure stays grey and reads `missing`. Without `rows`, the areas
 * alone (the admin's preview of a file). Each area is named by its division code (`nameProperty`), so a
 * file's spelling of names does not matter. Described in text for screen readers.
 */
export function DistrictMap({ title, mapKey, areas, rows, scale, missing = '—', seriesName, height = 360 }: {
  title: string;
  /** Unique per set of boundaries: ECharts keeps registered maps by name. */
  mapKey: string;
  areas: AreaCollection;
  rows: readonly Shade[] | null;
  scale?: Scale;
  missing?: string;
  seriesName: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    echarts.registerMap(mapKey, areas as unknown as GeoJSONInput);
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    const named = new Map(areas.features.map((f) => [f.properties.code, f.properties.name]));
    const label = (code: string): string => named.get(code) ?? code;
    const texts = new Map((rows ?? []).map((r) => [r.code, r.text]));
    const reading = (code: string): string => texts.get(code) ?? missing;
    chart.setOption({
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string }) => (rows ? `${label(p.name)}：${reading(p.name)}` : `${label(p.name)}（${p.name}）`),
      },
      visualMap: rows ? {
        min: 0, max: scale?.max ?? 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 160,
        inRange: { color: SHADES }, text: scale?.ends ?? ['', ''], textStyle: { color: '#262626' },
      } : undefined,
      series: [{
        name: seriesName, type: 'map', map: mapKey, nameProperty: 'code', roam: false,
        top: 8, bottom: rows ? 48 : 8, left: 8, right: 8,
        data: rows ? rows.map((r) => ({ name: r.code, value: r.value })) : [],
        itemStyle: { areaColor: rows ? '#f5f5f5' : '#d6e4ff', borderColor: '#1d39c4', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: '#ffd666' }, label: { color: '#000' } },
        select: { disabled: true },
        label: {
          show: true, color: '#000', backgroundColor: 'rgba(255,255,255,0.85)', padding: [2, 4], borderRadius: 2,
          formatter: (p: { name: string }) => (rows ? `${label(p.name)}\n${reading(p.name)}` : label(p.name)),
        },
      }],
    });
    const resize = (): void => { chart.resize(); };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [mapKey, areas, rows, scale, missing, seriesName]);

  const summary = rows
    ? rows.map((r) => `${r.name} ${r.text}`).join('；')
    : areas.features.map((f) => `${f.properties.name}（${f.properties.code}）`).join('；');
  return (
    <div role="img" aria-label={`${title}：${summary}`} data-testid="district-map">
      <div ref={ref} aria-hidden style={{ width: '100%', height }} />
    </div>
  );
}
