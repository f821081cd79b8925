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
