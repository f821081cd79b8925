import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { accessibilityProblems, choose, gql, launch, newPage, screenshot, shootOnFailure, signIn } from './browser';

// The configuration screens: 南京's admin writes a dispatch rule, is told at the field that its pattern is
// not a regular expression, fixes it, simulates the draft over past orders and publishes it; 苏州's admin
// sees nothing of it.
const baseURL = inject('baseURL');
const RULE_KEY = `e2e-night-${String(Date.now() % 100000)}`;
const RULE_NAME = `路灯夜间复核 ${RULE_KEY.slice(-5)}`;
let browser: Browser;
const pages = new Map<string, Page>();
let last: Page | undefined;

async function as(login: string): Promise<Page> {
  const known = pages.get(login);
  if (known) return (last = known);
  const page = await newPage(browser, baseURL);
  await page.goto('/');
  await signIn(page, login);
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
  pages.set(login, page);
  return (last = page);
}

async function openDispatch(page: Page, tab = 'rules'): Promise<void> {
  await page.goto(`/#/admin/dispatch?tab=${tab}`);
  await page.getByRole('heading', { name: '派单配置' }).waitFor();
}

beforeAll(async () => {
  browser = await launch();
});
afterEach(shootOnFailure(() => last ?? [...pages.values()][0] as Page));
afterAll(async () => {
  await browser.close();
});

const NEXT_YEAR = new Date().getFullYear() + 1;
const NOTICE = `国务院办公厅关于${String(NEXT_YEAR)}年部分节假日安排的通知（测试 ${RULE_KEY.slice(-5)}）`;

describe('working calendars', () => {
  test('js.admin is warned that next year is missing, enters a holiday and publishes the year', async () => {
    const page = await as('js.admin');
    await page.goto('/#/admin/calendars');
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    const warning = page.getByRole('alert').filter({ hasText: `${String(NEXT_YEAR)} 年的放假安排尚未录入` });
    await warning.waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-05-calendar-warning');
    await warning.getByRole('button', { name: '录入放假安排' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('依据文件').fill(NOTICE);
    await dialog.locator('#holidays-0-date').fill(`${String(NEXT_YEAR)}-10-08`);
    await dialog.locator('#holidays-0-name').fill('国庆节');
    await dialog.getByRole('button', { name: '发布' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: new RegExp(NOTICE.slice(-8, -1)) }).waitFor();
    await warning.waitFor({ state: 'detached' }); // the warning goes once the year is published
  });

  test('nj.admin sees the province\'s holiday inherited in its calendar', async () => {
    const page = await as('nj.admin');
    await page.goto('/#/admin/calendars');
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(NOTICE.slice(-8, -1)) });
    await row.waitFor();
    expect(await row.textContent()).toContain('继承自');
    await choose(page, page.getByLabel('年份'), String(NEXT_YEAR));
    const day = page.locator(`button[data-date="${String(NEXT_YEAR)}-10-08"]`);
    await expect.poll(async () => (await day.getAttribute('aria-label')) ?? '').toContain('国庆节');
    expect(await day.getAttribute('aria-label')).toContain('休息日');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-06-calendar-inherited');
  });
});

describe('time limits', () => {
  test('nj.admin sees the deadline rules with their source and saves the work-order rules', async () => {
    const page = await as('nj.admin');
    await page.goto('/#/admin/deadlines');
    await page.getByRole('heading', { name: '办理时限' }).waitFor();
    await page.getByText('内置默认').first().waitFor();
    const threshold = page.getByLabel('推诿督办阈值（退回次数）');
    await threshold.fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    const saved = await gql(page, '{ workOrderRules { __typename ... on WorkOrderRules { returnSupervisionThreshold } } }') as {
      data: { workOrderRules: { returnSupervisionThreshold: number } };
    };
    expect(saved.data.workOrderRules.returnSupervisionThreshold).toBe(3);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-07-deadlines');
  });
});

describe('dispatch configuration', () => {
  test('nj.admin sees the rules in force, each with where it comes from', async () => {
    const page = await as('nj.admin');
    await openDispatch(page);
    await page.getByRole('button', { name: '新建规则' }).waitFor();
    await page.getByRole('tab', { name: '派单目录' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-01-dispatch-rules');
  });

  test('a rule with a broken pattern is refused at the pattern field, then saved once fixed', async () => {
    const page = await as('nj.admin');
    await page.getByRole('button', { name: '新建规则' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('规则标识').fill(RULE_KEY);
    await dialog.getByLabel('规则名称').fill(RULE_NAME);
    await choose(page, dialog.getByLabel('条件类型').first(), '正则表达式');
    await dialog.getByLabel('正则表达式').fill('路灯(不亮');
    await choose(page, dialog.getByLabel('动作类型'), '人工复核');
    await dialog.getByLabel('变更原因').fill('夜间路灯诉求需复核');
    await dialog.getByRole('button', { name: '保存' }).click();
    const patternItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('正则表达式') });
    await expect.poll(async () => (await patternItem.locator('.ant-form-item-explain-error').textContent()) ?? '').toMatch(/regular expression|正则/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-02-rule-error-at-field');

    await dialog.getByLabel('正则表达式').fill('路灯.*不亮');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(RULE_NAME) });
    await row.waitFor();
    expect(await row.textContent()).toContain('本级');
  });

  test('the draft is simulated over past orders, then published with a reason', async () => {
    const page = await as('nj.admin');
    await page.getByRole('tab', { name: '模拟' }).click();
    await page.getByRole('button', { name: '开始模拟' }).click();
    await page.getByText('参与模拟的工单').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-03-simulation');

    await page.getByRole('tab', { name: '草稿与版本' }).click();
    const changes = page.getByRole('row', { name: new RegExp(RULE_KEY) });
    await changes.waitFor();
    expect(await changes.textContent()).toContain('新增');
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('变更原因').fill('启用夜间路灯复核规则');
    await dialog.getByRole('button', { name: '发布' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('草稿与已发布版本一致。').waitFor();
    await page.getByRole('row', { name: /启用夜间路灯复核规则/ }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'config-04-published');
    const published = await gql(page, `{ dispatchConfiguration { __typename ... on DispatchConfiguration { items { key } } } }`) as {
      data: { dispatchConfiguration: { items: { key: string }[] } };
    };
    expect(published.data.dispatchConfiguration.items.map((i) => i.key)).toContain(RULE_KEY);
  });

  test('sz.admin sees none of 南京\'s rules', async () => {
    const page = await as('sz.admin');
    await openDispatch(page);
    await page.getByRole('button', { name: '新建规则' }).waitFor();
    expect(await page.getByText(RULE_NAME).count()).toBe(0);
    const theirs = await gql(page, `{ dispatchConfiguration(draft: true) { __typename ... on DispatchConfiguration { items { key } } } }`) as {
      data: { dispatchConfiguration: { items: { key: string }[] } };
    };
    expect(theirs.data.dispatchConfiguration.items.map((i) => i.key)).not.toContain(RULE_KEY);
    const asked = await gql(page, `{ dispatchConfiguration(tenantCode: "320100") { __typename } }`) as {
      data: { dispatchConfiguration: { __typename: string } };
    };
    expect(asked.data.dispatchConfiguration.__typename).toBe('ValidationErrors');
  });
});
