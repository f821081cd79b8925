import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { accessibilityProblems, gql, launch, screenshot, shootOnFailure, signIn } from './browser';

// 地图边界: 南京's admin uploads district boundaries (three rough rectangles written for this test, not map
// data), is told at its path that a district of 苏州 is not 南京's, and the dashboard then draws the map;
// 苏州's admin sees none of it. The boundaries are cleared at the end, so that the other files' dashboards
// show the tile grid they expect.
const baseURL = inject('baseURL');
let browser: Browser;
const pages = new Map<string, Page>();
let last: Page | undefined;

function rect(west: number, south: number, east: number, north: number): number[][][] {
  return [[[west, south], [east, south], [east, north], [west, north], [west, south]]];
}

function area(code: string | number, name: string, rings: number[][][], key = 'code'): object {
  return { type: 'Feature', properties: { [key]: code, name }, geometry: { type: 'Polygon', coordinates: rings } };
}

function geojson(...features: object[]): Buffer {
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

const NANJING = geojson(
  area('320102', '玄武区', rect(118.78, 32.03, 118.86, 32.10)),
  area('320104', '秦淮区', rect(118.76, 31.98, 118.84, 32.03)),
  area(320106, '鼓楼区', rect(118.70, 32.03, 118.78, 32.10), 'adcode'),
);
const WITH_SUZHOU = geojson(
  area('320102', '玄武区', rect(118.78, 32.03, 118.86, 32.10)),
  area('320506', '吴中区', rect(120.40, 31.10, 120.70, 31.30)),
);
const SOURCE = '测试用图，非正式地图（e2e）';

/** A signed-in page on China's clock, so that the dashboard's "this month" is the hotline's month. */
async function as(login: string): Promise<Page> {
  const known = pages.get(login);
  if (known) return (last = known);
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/');
  await signIn(page, login);
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
  pages.set(login, page);
  return (last = page);
}

async function openBoundaries(page: Page): Promise<void> {
  await page.goto('/#/admin/boundaries');
  await page.getByRole('heading', { name: '地图边界', level: 1 }).waitFor();
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto('/#/dashboard');
  await page.getByText('当月受理', { exact: true }).waitFor();
}

function districtFigure(page: Page) {
  return page.locator('[role="img"][aria-label^="当月各区域受理量"]');
}

beforeAll(async () => {
  browser = await launch();
  // One order this month in 玄武区 (新街口街道), so that the dashboard has a volume to draw.
  const agent = await as('nj.agent');
  const created = await gql(agent, `mutation { createWorkOrder(input: {
    channel: PHONE, requestType: COMPLAINT, categoryCode: "010201", title: "地图测试：井盖缺失", responseLevel: 3,
    content: "地图测试：中山路人行道井盖缺失，夜间有安全隐患。", location: { divisionCode: "320102003", address: "中山路2号" },
    caller: { phone: "13800009999", name: "李女士", confidential: false } }) { __typename } }`) as { data: { createWorkOrder: { __typename: string } } };
  expect(created.data.createWorkOrder.__typename).toBe('WorkOrder');
  await satisfiedCallbackInXuanwu();
});

interface Step { __typename: string; id?: string; assignments?: { id: string }[] }

/** One order of 新街口街道 walked to a satisfied callback, so that 玄武区 has a satisfaction rate this month. */
async function satisfiedCallbackInXuanwu(): Promise<void> {
  const step = async (login: string, mutation: string): Promise<Step> => {
    const result = await gql(await as(login), `mutation { r: ${mutation} { __typename ... on WorkOrder { id assignments { id } } } }`) as { data: { r: Step } };
    expect(result.data.r.__typename).toBe('WorkOrder');
    return result.data.r;
  };
  const order = await step('nj.agent', `createWorkOrder(input: { channel: PHONE, requestType: COMPLAINT, categoryCode: "010201",
    title: "地图测试：垃圾清运不及时", content: "地图测试：小区垃圾两天没有清运。", responseLevel: 3,
    location: { divisionCode: "320102003", address: "中山路3号" }, caller: { phone: "13800008888", name: "周先生", confidential: false } })`);
  const dispatched = await step('nj.dispatcher', `dispatchWorkOrder(input: { orderId: "${order.id ?? ''}", leadUnitCodes: ["320102003"] })`);
  const assignment = dispatched.assignments?.[0]?.id ?? '';
  await step('nj.xinjiekou', `signForAssignment(assignmentId: "${assignment}")`);
  await step('nj.xinjiekou', `replyToWorkOrder(assignmentId: "${assignment}", result: RESOLVED, text: "已安排清运。")`);
  await step('nj.dispatcher', `acceptReply(assignmentId: "${assignment}")`);
  await step('nj.callback', `recordCallback(orderId: "${order.id ?? ''}", input: { reached: true, resolved: true, satisfaction: SATISFIED })`);
}

afterEach(shootOnFailure(() => last ?? [...pages.values()][0] as Page));

afterAll(async () => {
  const admin = pages.get('nj.admin');
  if (admin) await gql(admin, 'mutation { clearDistrictBoundaries { __typename } }'); // whatever a failed step left
  await browser.close();
});

describe('nj.admin supplies 南京’s district boundaries', () => {
  test('before any, the dashboard shows the tile grid and tells admins they can upload boundaries', async () => {
    const page = await as('nj.admin');
    await openDashboard(page);
    expect(await districtFigure(page).getAttribute('aria-label')).toContain('江宁区');
    await page.getByRole('link', { name: /上传本热线的区划边界/ }).click();
    await page.getByRole('heading', { name: '地图边界', level: 1 }).waitFor();
    await page.getByText('尚未上传区划边界', { exact: false }).waitFor();
  });

  test('a file with a district of 苏州 is refused, the error shown at its path and next to the feature', async () => {
    const page = await as('nj.admin');
    await openBoundaries(page);
    await page.locator('#boundary-file').setInputFiles({ name: 'nanjing-bad.geojson', mimeType: 'application/geo+json', buffer: WITH_SUZHOU });
    await page.getByText('文件 nanjing-bad.geojson 中有 2 个要素：').waitFor();
    const preview = page.getByRole('table', { name: '预览' });
    await preview.getByRole('row', { name: /320506/ }).waitFor();
    await page.getByRole('button', { name: '保存边界' }).click();
    await page.getByText('请注明边界数据的来源。').waitFor(); // the source is asked for before anything is sent
    await page.getByLabel('数据来源与审图号').fill(SOURCE);
    await page.getByRole('button', { name: '保存边界' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '边界文件未保存' });
    await alert.getByText('geojson.features.1.properties.code').waitFor();
    await alert.getByText('该区划不在本热线辖区内。', { exact: false }).waitFor();
    await preview.getByRole('row', { name: /320506/ }).getByText('properties.code：该区划不在本热线辖区内。').waitFor();
    await page.getByText('尚未上传区划边界', { exact: false }).waitFor(); // nothing was kept
    await page.mouse.move(1, 1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'boundaries-01-refused-at-path');
  });

  test('three districts of 南京 are saved and listed with their official names and a map', async () => {
    const page = await as('nj.admin');
    await page.locator('#boundary-file').setInputFiles({ name: 'nanjing.geojson', mimeType: 'application/geo+json', buffer: NANJING });
    await page.getByText('文件 nanjing.geojson 中有 3 个要素：').waitFor();
    await page.getByRole('button', { name: '保存边界' }).click();
    await page.getByText('已保存 3 个区划的边界。').waitFor();
    const listed = page.getByRole('table', { name: '当前边界' });
    for (const name of ['玄武区', '秦淮区', '鼓楼区']) await listed.getByRole('cell', { name, exact: true }).waitFor();
    await page.getByText(SOURCE).waitFor();
    const map = page.locator('[data-testid="district-map"][aria-label^="区划边界"]');
    await map.locator('canvas').waitFor();
    expect(await map.getAttribute('aria-label')).toContain('鼓楼区（320106）');
    await page.waitForTimeout(600); // the map draws after its code loads
    await page.mouse.move(1, 1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'boundaries-02-saved');
  });

  test('the dashboard draws them as a map of the month’s volume, described in text', async () => {
    const page = await as('nj.admin');
    await openDashboard(page);
    const map = page.locator('[data-testid="district-map"][aria-label^="当月各区域受理量"]');
    await map.locator('canvas').waitFor();
    const summary = (await map.getAttribute('aria-label')) ?? '';
    expect(summary).toMatch(/玄武区 [1-9]\d*/);
    expect(summary).toContain('秦淮区 ');
    expect(summary).toContain('鼓楼区 ');
    expect(summary).not.toContain('江宁区'); // no boundary was given for it
    await page.getByText(`地图按本热线上传的区划边界绘制（来源：${SOURCE}）`, { exact: false }).waitFor();
    await page.waitForTimeout(600);
    await page.mouse.move(1, 1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'boundaries-03-dashboard-map');
    // The same map by 群众满意率: 玄武区 has a satisfied callback this month; a district without any says so.
    await page.locator('.ant-segmented[aria-label="区域图显示"]').getByText('满意率', { exact: true }).click();
    const rates = page.locator('[data-testid="district-map"][aria-label^="当月各区域群众满意率"]');
    await rates.locator('canvas').waitFor();
    expect((await rates.getAttribute('aria-label')) ?? '').toMatch(/玄武区 \d+(\.\d)?%/);
    expect(await page.getByRole('heading', { name: '当月各区域群众满意率' }).count()).toBe(1);
    await page.mouse.move(1, 1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'boundaries-04-dashboard-satisfaction');
    await page.locator('.ant-segmented[aria-label="区域图显示"]').getByText('工单数', { exact: true }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Drawn from the district boundaries this hotline uploaded', { exact: false }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByText('当月受理', { exact: true }).waitFor();
  });
});

describe('苏州 (sz.admin)', () => {
  test('sees none of 南京’s boundaries and can neither read nor clear them', async () => {
    const page = await as('sz.admin');
    await openDashboard(page);
    await page.waitForTimeout(600);
    expect(await page.locator('[data-testid="district-map"]').count()).toBe(0);
    expect(await page.getByText('玄武区').count()).toBe(0);
    const own = await gql(page, '{ districtBoundaries { __typename } }') as { data: { districtBoundaries: null } };
    expect(own.data.districtBoundaries).toBeNull();
    const read = await gql(page, '{ districtBoundaries(tenantCode: "320100") { __typename ... on ValidationErrors { errors { code } } } }') as
      { data: { districtBoundaries: { errors?: { code: string }[] } } };
    expect(read.data.districtBoundaries.errors?.map((e) => e.code)).toEqual(['not_found']);
    const clear = await gql(page, 'mutation { clearDistrictBoundaries(tenantCode: "320100") { __typename ... on ValidationErrors { errors { code } } } }') as
      { data: { clearDistrictBoundaries: { errors?: { code: string }[] } } };
    expect(clear.data.clearDistrictBoundaries.errors?.map((e) => e.code)).toEqual(['not_found']);
    await openBoundaries(page);
    await page.getByText('尚未上传区划边界', { exact: false }).waitFor();
    expect(await page.getByText(SOURCE).count()).toBe(0);
    await screenshot(page, 'boundaries-04-suzhou');
  });
});

describe('clearing', () => {
  test('nj.admin clears the boundaries and the dashboard goes back to the tile grid', async () => {
    const page = await as('nj.admin');
    await openBoundaries(page);
    await page.getByRole('button', { name: '清除边界' }).click();
    await page.locator('.ant-popover').getByRole('button', { name: '清除边界' }).click();
    await page.getByText('已清除区划边界。').waitFor();
    await page.getByText('尚未上传区划边界', { exact: false }).waitFor();
    await openDashboard(page);
    await expect.poll(async () => (await districtFigure(page).getAttribute('aria-label')) ?? '').toContain('江宁区');
    expect(await page.locator('[data-testid="district-map"]').count()).toBe(0);
  });
});
