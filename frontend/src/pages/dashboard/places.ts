/** A division below the tenant (a district of a city, a street of a district…). */
export interface Division {
  code: string;
  name: string;
}

export interface DivisionVolume extends Division {
  count: number;
}

/** The significant digits of a division code: 320000 → 32, 320100 → 3201, 320102 → 320102, 320102003 as is. */
export function significant(code: string): string {
  if (code.length !== 6) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/**
 * Adds up the report's volume by place (an order's division, down to the street) into the divisions
 * directly below the tenant; what lies in none of them (the city itself, no place) is counted apart.
 */
export function volumeByDivision(divisions: readonly Division[], byPlace: readonly { key: string; count: number }[]):
  { rows: DivisionVolume[]; unplaced: number } {
  const prefixes = divisions.map((d) => ({ ...d, prefix: significant(d.code), count: 0 }));
  let unplaced = 0;
  for (const place of byPlace) {
    const code = place.key;
    const match = code ? prefixes.find((d) => code.startsWith(d.prefix)) : undefined;
    if (match) match.count += place.count;
    else unplaced += place.count;
  }
  return { rows: prefixes.map(({ code, name, count }) => ({ code, name, count })), unplaced };
}

/** Columns of a tile grid for n tiles: as square as possible, never wider than `max`. */
export function tileColumns(n: number, max = 6): number {
  return Math.max(1, Math.min(max, Math.ceil(Math.sqrt(n))));
}

/** What a map area or a tile shows: the value that sets its shade and the text it reads. */
export interface Shade extends Division {
  value: number;
  text: string;
}

/** The shading of a measure: the top of its scale and the words at both ends. */
export interface Scale {
  max: number;
  ends: [string, string];
}

export function volumeShades(rows: readonly DivisionVolume[]): { shades: Shade[]; scale: Scale } {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return { shades: rows.map((r) => ({ code: r.code, name: r.name, value: r.count, text: String(r.count) })), scale: { max, ends: [String(max), '0'] } };
}

/**
 * 群众满意率 of the divisions below the tenant, in percent: the callback verdicts of their places added up
 * (satisfied and basically satisfied count as satisfied). A division without verdicts has no shade.
 */
export function satisfactionShades(divisions: readonly Division[], byPlace: readonly { key: string; rated: number; satisfied: number }[]):
  { shades: Shade[]; scale: Scale } {
  const sums = divisions.map((d) => ({ ...d, prefix: significant(d.code), rated: 0, satisfied: 0 }));
  for (const place of byPlace) {
    const match = sums.find((d) => place.key.startsWith(d.prefix));
    if (match) {
      match.rated += place.rated;
      match.satisfied += place.satisfied;
    }
  }
  const shades = sums.filter((d) => d.rated > 0).map(({ code, name, rated, satisfied }) => {
    const percent = Math.round((1000 * satisfied) / rated) / 10;
    return { code, name, value: percent, text: `${String(percent)}%` };
  });
  return { shades, scale: { max: 100, ends: ['100%', '0%'] } };
}
