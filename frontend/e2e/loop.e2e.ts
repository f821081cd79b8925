import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { accessibilityProblems, choose, launch, newPage, screenshot, shootOnFailure, signIn } from './browser';

// The closed loop of one order through the screens of the roles that work it: the agent records the call,
// the dispatcher dispatches, the street signs and replies, the hotline accepts, the callback agent records
// a satisfied citizen; the order's page tells the whole story, and 苏州's agent finds nothing of it.
// Steps run in order and build on each other.
const baseURL = inject('baseURL');
const TITLE = `新街口路灯不亮（回路测试 ${String(Date.now() % 100000)}）`;
let browser: Browser;
const pages = new Map<string, Page>();
let orderId = '';
let orderNumber = '';

async function as(login: string): Promise<Page> {
  const known = pages.get(login);
  if (known) return known;
  const page = await newPage(browser, baseURL);
  await page.goto('/');
  await signIn(page, login);
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
  pages.set(login, page);
  return page;
}

/** Opens a screen from the side menu and the order's row in its table (found by the title's words). */
async function openRow(page: Page, menu: string, tab: string | null): Promise<void> {
  if (await page.locator('.ant-drawer-open').count()) await page.keyboard.press('Escape'); // the last order's panel
  await page.getByRole('menuitem', { name: menu }).click();
  if (tab) await page.getByRole('tab', { name: tab }).click();
  const panel = tab ? page.getByRole('tabpanel', { name: tab }) : page;
  await panel.getByRole('searchbox').fill(TITLE.slice(-12, -1));
  await panel.getByRole('searchbox').press('Enter');
  await panel.getByRole('row', { name: new RegExp(orderNumber) }).click();
  await page.getByRole('dialog').getByText(TITLE).waitFor();
}

let last: Page | undefined;
beforeAll(async () => {
  browser = await launch();
});
afterEach(shootOnFailure(() => last ?? [...pages.values()][0] as Page));
afterAll(async () => {
  await browser.close();
});

describe('the closed loop of one order', () => {
  test('an agent records the call in the workspace; it waits for a dispatcher', async () => {
    const page = (last = await as('nj.agent'));
    await page.getByRole('menuitem', { name: '坐席工作台' }).click();
    await page.getByLabel('来电号码', { exact: true }).fill('13800135678');
    await page.getByLabel('来电人姓名', { exact: true }).fill('王先生');
    await page.getByLabel('诉求类型', { exact: true }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="投诉"]').click();
    await page.getByLabel('标题', { exact: true }).fill(TITLE);
    await page.getByLabel('诉求内容', { exact: true }).fill('中山路与汉中路交叉口的路灯连续三晚不亮，夜间行人不安全。');
    await page.getByLabel('分类', { exact: true }).fill('园林绿化环卫');
    await page.locator('.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden) .ant-cascader-menu-item').first().click();
    await page.getByLabel('详细地址', { exact: true }).fill('中山路1号');
    await screenshot(page, 'loop-00-workspace');
    await page.getByRole('button', { name: /受\s*理/ }).first().click();
    const result = page.getByRole('status').filter({ hasText: '已受理，工单号' });
    await result.waitFor();
    expect(await result.textContent()).toContain('等待派单');
    const link = result.getByRole('link', { name: '打开工单' });
    orderId = new URLSearchParams((await link.getAttribute('href'))?.split('?')[1] ?? '').get('id') ?? '';
    orderNumber = /\d{6}-\d{8}-\d{5}/.exec((await result.textContent()) ?? '')?.[0] ?? '';
    expect(orderId).not.toBe('');
    expect(orderNumber).not.toBe('');
  });

  test('the dispatcher sends it to 新街口街道 from the queue', async () => {
    const page = (last = await as('nj.dispatcher'));
    await openRow(page, '派单', '待派单');
    await screenshot(page, 'loop-01-dispatch-panel');
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: '派单', exact: true }).click();
    const modal = page.getByRole('dialog', { name: /派单：/ });
    await modal.getByRole('button', { name: '派单' }).click();
    await modal.getByText('必填。').waitFor(); // no lead unit chosen
    await modal.getByLabel('主办单位').click();
    await page.keyboard.type('新街口');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '新街口街道（320102003）' }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'loop-02-dispatch-form');
    await modal.getByRole('button', { name: '派单' }).click();
    await page.getByText('已派单').first().waitFor();
    await drawer.getByText('待签收').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  test('the street signs for it and replies from its inbox', async () => {
    const page = (last = await as('nj.xinjiekou'));
    await openRow(page, '承办单位工作台', '待签收');
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: '签收' }).click();
    await page.getByText('已签收').first().waitFor();
    await drawer.getByRole('button', { name: '答复' }).click();
    const modal = page.getByRole('dialog', { name: /办结答复/ });
    await choose(page, modal.getByLabel('办理结果'), '已解决');
    await modal.getByLabel(/答复内容/).fill('已安排维修人员更换路灯控制器，当晚恢复照明，并电话告知王先生。');
    await screenshot(page, 'loop-03-reply-form');
    await modal.getByRole('button', { name: '确定' }).click();
    await page.getByText('已答复，等待热线审核').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  test('the hotline accepts the reply; the order waits for its callback', async () => {
    const page = (last = await as('nj.dispatcher'));
    await openRow(page, '派单', '答复待审');
    await page.getByRole('dialog').getByRole('button', { name: '审核通过' }).click();
    await page.getByText('答复已通过').waitFor();
    await page.getByRole('dialog').getByText('待回访').waitFor();
  });

  test('the callback agent reaches the caller, who is satisfied; the order closes', async () => {
    const page = (last = await as('nj.callback'));
    await page.getByRole('menuitem', { name: '回访' }).click();
    await page.getByRole('row', { name: new RegExp(orderNumber) }).getByText(TITLE).click();
    const form = page.locator('form#callback');
    await form.getByText('已联系上', { exact: true }).click();
    await form.getByText('已解决', { exact: true }).click();
    await form.getByText('满意', { exact: true }).click();
    await page.getByLabel('回访备注').fill('王先生确认路灯已修好。');
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.getByTestId('callback-outcome').getByText(/工单已办结/).waitFor();
    await screenshot(page, 'loop-04a-callback');
  });

  test("the order's page shows its deadlines, its units and every step", async () => {
    const page = (last = await as('nj.dispatcher'));
    await page.goto(`/#/order?id=${orderId}`);
    await page.getByRole('heading', { name: orderNumber }).waitFor();
    const timeline = page.locator('.ant-timeline');
    for (const step of ['受理', '派至单位', '签收', '答复', '答复审核通过', '回访']) {
      await timeline.getByText(step, { exact: true }).first().waitFor();
    }
    await page.getByText('按时').first().waitFor(); // signed for and replied within their limits
    expect(await page.getByTestId('caller-phone').textContent()).toBe('138****5678');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'loop-04-order-detail');
  });

  test('another hotline finds nothing of it', async () => {
    const page = (last = await as('sz.agent'));
    await page.goto(`/#/order?id=${orderId}`);
    await page.getByText('未找到此工单，或不在您的管辖范围内。').waitFor();
    await page.getByRole('menuitem', { name: '工单查询' }).click();
    await page.getByRole('searchbox').fill(orderNumber);
    await page.getByRole('searchbox').press('Enter');
    await page.getByText('没有符合条件的工单').waitFor();
    await screenshot(page, 'loop-05-other-hotline');
  });
});
