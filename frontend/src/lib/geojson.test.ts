import { describe, expect, test } from 'vitest';
import { asAreaCollection, featureIndex, MAX_BOUNDARY_BYTES, previewFile } from './geojson';

const SQUARE = [[[118.7, 32.0], [118.8, 32.0], [118.8, 32.1], [118.7, 32.1], [118.7, 32.0]]];

function file(features: unknown[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe('previewFile', () => {
  test('lists each feature with its code (code, or adcode as a number), its name in the file and its geometry', () => {
    const text = file([
      { type: 'Feature', properties: { code: '320102', name: '玄武' }, geometry: { type: 'Polygon', coordinates: SQUARE } },
      { type: 'Feature', properties: { adcode: 320104 }, geometry: { type: 'MultiPolygon', coordinates: [SQUARE] } },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } },
    ]);
    const preview = previewFile(text, text.length);
    expect(preview.problem).toBeNull();
    expect(preview.features).toEqual([
      { index: 0, code: '320102', name: '玄武', geometry: 'Polygon' },
      { index: 1, code: '320104', name: null, geometry: 'MultiPolygon' },
      { index: 2, code: null, name: null, geometry: 'Point' },
    ]);
    // Only areas with a code can be drawn; a feature without a name is named by its code.
    expect(preview.drawable?.features.map((f) => f.properties)).toEqual([
      { code: '320102', name: '玄武' }, { code: '320104', name: '320104' },
    ]);
  });

  test('says what is wrong with the file as a whole, in the API’s codes', () => {
    expect(previewFile('{"type": "Fea', 13).problem).toBe('invalid_json');
    expect(previewFile('{"type": "Feature"}', 19).problem).toBe('not_feature_collection');
    expect(previewFile('[]', 2).problem).toBe('not_feature_collection');
    expect(previewFile(file([]), 40).problem).toBe('required');
    expect(previewFile(file([]), MAX_BOUNDARY_BYTES + 1).problem).toBe('too_large');
  });
});

test('asAreaCollection keeps the areas of the API’s JSON and refuses anything else', () => {
  const stored = { type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { code: '320102', name: '玄武区' }, geometry: { type: 'Polygon', coordinates: SQUARE } },
  ] };
  expect(asAreaCollection(stored)?.features[0]?.properties).toEqual({ code: '320102', name: '玄武区' });
  expect(asAreaCollection(null)).toBeNull();
  expect(asAreaCollection({ type: 'FeatureCollection', features: [] })).toBeNull();
  expect(asAreaCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null }] })).toBeNull();
});

test('featureIndex reads the feature an error points at', () => {
  expect(featureIndex(['geojson', 'features', '3', 'properties', 'code'])).toBe(3);
  expect(featureIndex(['geojson', 'features', '0', 'geometry', 'coordinates', '0', '4'])).toBe(0);
  expect(featureIndex(['geojson', 'features'])).toBeNull();
  expect(featureIndex(['geojson'])).toBeNull();
  expect(featureIndex(['source'])).toBeNull();
});
