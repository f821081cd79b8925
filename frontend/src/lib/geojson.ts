/** The largest file the API takes (analytics/geojson.py MAX_BYTES). */
export const MAX_BOUNDARY_BYTES = 5 * 1024 * 1024;

/** One area of the map, named by its division code (the map series' `nameProperty`). */
export interface AreaFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
}

export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null;
}

/** `properties.code`, or `adcode` as many published files name it (a string or a number). */
function codeOf(properties: Record<string, unknown> | null): string | null {
  const value = properties?.code ?? properties?.adcode;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

function area(item: unknown): AreaFeature | null {
  const feature = record(item);
  const geometry = record(feature?.geometry);
  const code = codeOf(record(feature?.properties));
  const kind = geometry?.type;
  if (!code || (kind !== 'Polygon' && kind !== 'MultiPolygon') || !Array.isArray(geometry?.coordinates)) return null;
  const name = record(feature?.properties)?.name;
  return {
    type: 'Feature',
    properties: { code, name: typeof name === 'string' && name ? name : code },
    geometry: { type: kind, coordinates: geometry.coordinates as unknown[] },
  };
}

/** The API's `geojson` (untyped JSON) as areas the map can draw; null when there are none. */
export function asAreaCollection(value: unknown): AreaCollection | null {
  const collection = record(value);
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) return null;
  const features = collection.features.map(area).filter((f): f is AreaFeature => f !== null);
  return features.length > 0 ? { type: 'FeatureCollection', features } : null;
}

export interface PreviewFeature {
  index: number;
  code: string | null;
  name: string | null;
  geometry: string | null;
}

export type FileProblem = 'too_large' | 'invalid_json' | 'not_feature_collection' | 'required';

export interface FilePreview {
  problem: FileProblem | null;
  features: PreviewFeature[];
  /** The features that have a code and an area, for a map of the file before it is sent. */
  drawable: AreaCollection | null;
}

/**
 * What the console can tell of a chosen file before sending it: is it a FeatureCollection, and which
 * codes, names and shapes do its features carry. The API checks the rest (rings, ranges, the codes).
 */
export function previewFile(text: string, bytes: number): FilePreview {
  const none = (problem: FileProblem): FilePreview => ({ problem, features: [], drawable: null });
  if (bytes > MAX_BOUNDARY_BYTES) return none('too_large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return none('invalid_json');
  }
  const collection = record(parsed);
  if (collection?.type !== 'FeatureCollection') return none('not_feature_collection');
  if (!Array.isArray(collection.features) || collection.features.length === 0) return none('required');
  const features = collection.features.map((item, index) => {
    const feature = record(item);
    const properties = record(feature?.properties);
    const name = properties?.name;
    const geometry = record(feature?.geometry)?.type;
    return {
      index, code: codeOf(properties), name: typeof name === 'string' ? name : null,
      geometry: typeof geometry === 'string' ? geometry : null,
    };
  });
  return { problem: null, features, drawable: asAreaCollection(parsed) };
}

/** The feature an API error points at (`geojson.features.3.properties.code` → 3), or null. */
export function featureIndex(path: readonly string[]): number | null {
  if (path[0] !== 'geojson' || path[1] !== 'features' || path[2] === undefined) return null;
  const index = Number(path[2]);
  return Number.isInteger(index) && index >= 0 ? index : null;
}
