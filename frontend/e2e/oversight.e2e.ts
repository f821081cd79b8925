import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test, type TestContext } from 'vitest';
import { PASSWORD, accessibilityProblems, gql, launch, screenshot, signIn } from './browser';

// The oversight screens (回访, 督办, 数据看板) as the demo roles of 南京 (tenants/320000-jiangsu.yaml), against a
// fresh backend. The orders they work on are walked through the loop with the API first (agent → dispatcher →
// 新街口街道 → dispatcher), as the other screens would; 苏州 (sz.*) must see none of it.
const baseURL = inject('baseURL');
let browser: Browser;

/** One account's API session from Node (a cookie jar of one), for the steps before the screens. */
class ApiSession {
  private cookie = '';
  constructor(private readonly login: string) {}

  async signIn(): Promise<this> {
    const data = await this.gql<{ login: { __typename: string } }>(
      'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { __typename } }', { l: this.login, p: PASSWORD },
    );
    if (data.login.__typename !== 'LoginSuccess') throw new Error(`${this.login} could not sign in`);
    return this;
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${baseURL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const setCookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c && !c.endsWith('='));
    if (setCookie.length > 0) this.cookie = setCookie.join('; ');
    const body = await response.json() as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(`${this.login}: ${JSON.stringify(body.errors)}`);
    return body.data;
  }
}

interface Order {
  id: string;
  number: string;
  state: string;
  assignments: { id: string; unit: { code: string } }[];
}
const ORDER = `{ __typename ... on WorkOrder { id number state assignments { id unit { code } } }
                 ... on ValidationErrors { errors { path message code } } }`;
const STREET = '320102003'; // 新街口街道, handled by nj.xinjiekou
let agent: ApiSession;
let dispatcher: ApiSession;
let street: ApiSession;

function ok(result: unknown, field: string): Order {
  const value = (result as Record<string, Order & { __typename: string }>)[field];
  if (!value || value.__typename !== 'WorkOrder') throw new Error(`${field}: ${JSON.stringify(value)}`);
  return value;
}

/** 受理 and 派单 to 新街口街道; with `signed` the street also signs for it. */
async function dispatchedOrder(title: string, phone: string, signed = false): Promise<{ order: Order; assignmentId: string }> {
  const created = ok(await agent.gql(`mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) ${ORDER} }`, {
    input: {
      channel: 'PHONE', requestType: 'COMPLAINT', categoryCode: '010201', title, responseLevel: 3,
      content: `${title}：中山路与汉中路交叉口，已持续三天，影响夜间出行。`,
      location: { divisionCode: STREET, address: '中山路1号' }, caller: { phone, name: '王先生', confidential: false },
    },
  }), 'createWorkOrder');
  const order = ok(await dispatcher.gql(`mutation($input: DispatchInput!) { dispatchWorkOrder(input: $input) ${ORDER} }`, {
    input: { orderId: created.id, leadUnitCodes: [STREET] },
  }), 'dispatchWorkOrder');
  const assignmentId = order.assignments.find((a) => a.unit.code === STREET)?.id ?? '';
  if (signed) ok(await street.gql(`mutation($id: UUID!) { signForAssignment(assignmentId: $id) ${ORDER} }`, { id: assignmentId }), 'signForAssignment');
  return { order, assignmentId };
}

/** The whole loop up to 待回访: signed for, replied by the street, the reply accepted by the dispatcher. */
async function orderAwaitingCallback(title: string, phone: string, reply: string): Promise<Order> {
  const { assignmentId } = await dispatchedOrder(title, phone, true);
  ok(await street.gql(`mutation($id: UUID!, $text: String!) { replyToWorkOrder(assignmentId: $id, result: RESOLVED, text: $text) ${ORDER} }`,
    { id: assignmentId, text: reply }), 'replyToWorkOrder');
  const accepted = ok(await dispatcher.gql(`mutation($id: UUID!) { acceptReply(assignmentId: $id) ${ORDER} }`, { id: assignmentId }), 'acceptReply');
  expect(accepted.state).toBe('PENDING_CALLBACK');
  return accepted;
}

beforeAll(async () => {
  browser = await launch();
  [agent, dispatcher, street] = await Promise.all([
    new ApiSession('nj.agent').signIn(), new ApiSession('nj.dispatcher').signIn(), new ApiSession('nj.xinjiekou').signIn(),
  ]);
});

afterAll(async () => {
  await browser.close();
});

function shootOnFailure(page: () => Page) {
  return async (context: TestContext): Promise<void> => {
    if (context.task.result?.state === 'fail') {
      await screenshot(page(), `FAILED-oversight-${context.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 50)}`);
    }
  };
}

/** The callback form (antd names it by its form name). */
function form(page: Page) {
  return page.locator('form#callback');
}

/** axe looks at the screen at rest: the pointer off the rows it last clicked. */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
}

/** A query from the signed-in page (the screen's own session). */
async function gqlAs(page: Page, query: string): Promise<{ supervisionNotices: { edges: { node: { id: string } }[] } }> {
  const body = await gql(page, query) as { data: { supervisionNotices: { edges: { node: { id: string } }[] } } };
  return body.data;
}

/** The day in China, where the hotlines count their days (and where their staff's browsers are). */
function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

async function signedIn(login: string, greeting: string): Promise<Page> {
  // The browser keeps China's clock, so that "today" on the dashboard is the hotline's day even near midnight UTC.
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/');
  await signIn(page, login);
  await page.getByText(greeting).waitFor();
  return page;
}

describe('callback agent (nj.callback)', () => {
  let page: Page;
  let satisfied: Order;
  let dissatisfied: Order;
  let unreached: Order;
  beforeAll(async () => {
    satisfied = await orderAwaitingCallback('回访测试：路灯不亮', '13800135678', '已联系供电部门修复路灯，当晚恢复照明。');
    dissatisfied = await orderAwaitingCallback('回访测试：垃圾清运不及时', '13900001111', '已督促环卫所每日清运两次。');
    unreached = await orderAwaitingCallback('回访测试：树枝遮挡路牌', '13700002222', '已修剪树枝。');
    page = await signedIn('nj.callback', '您好，');
  });

  test('sees the orders due for callback and, for one, the reply of the unit and the masked phone', async () => {
    await page.getByRole('menuitem', { name: '回访' }).click();
    const table = page.locator('.ant-table');
    await table.getByText(satisfied.number).waitFor();
    await table.getByText(dissatisfied.number).waitFor();
    await page.getByText('在上表中选择一件工单').waitFor();
    await page.getByRole('row', { name: new RegExp(satisfied.number) }).getByText('回访测试：路灯不亮').click();
    await page.getByText('已联系供电部门修复路灯，当晚恢复照明。').waitFor();
    expect(await page.getByTestId('caller-phone').textContent()).toBe('138****5678');
    expect(await page.getByRole('link', { name: satisfied.number }).first().getAttribute('href')).toBe(`#/order?id=${satisfied.id}`);
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-01-callback-queue');
  });

  test('shows the full phone number on request', async () => {
    await page.getByRole('button', { name: '显示完整号码' }).click();
    await page.getByTestId('caller-phone').getByText('13800135678').waitFor();
  });

  test('says what is missing next to the field, then records a satisfied citizen and the order closes', async () => {
    await form(page).getByText('已联系上', { exact: true }).click();
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.getByText('请选择问题是否解决').waitFor();
    await page.getByText('请选择市民的满意度').waitFor();
    await form(page).getByText('已解决', { exact: true }).click();
    await form(page).getByText('满意', { exact: true }).click();
    await page.getByLabel('回访备注').fill('市民表示路灯已修好。');
    await screenshot(page, 'oversight-02-callback-form');
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.getByText(`工单 ${satisfied.number} 的回访已保存`).waitFor();
    expect(await page.getByTestId('callback-outcome').textContent()).toContain('工单已办结：已解决，满意。');
    // Left the queue; the attempt is listed.
    await page.locator('.ant-table').getByText(satisfied.number).waitFor({ state: 'detached' });
    await page.getByText('市民表示路灯已修好。').waitFor();
    await screenshot(page, 'oversight-03-callback-closed');
  });

  test('a dissatisfied citizen sends the order back for rework, as the tenant’s rule says', async () => {
    await page.getByRole('row', { name: new RegExp(dissatisfied.number) }).getByText('回访测试：垃圾清运不及时').click();
    await page.getByText('已督促环卫所每日清运两次。').waitFor();
    await form(page).getByText('已联系上', { exact: true }).click();
    await form(page).getByText('未解决', { exact: true }).click();
    await form(page).getByText('不满意', { exact: true }).click();
    await page.getByText('不满意的工单将退回承办单位重办').waitFor();
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.getByTestId('callback-outcome').getByText('工单已退回承办单位重办（第 1 次重办）', { exact: false }).waitFor();
    await page.locator('.ant-table').getByText(dissatisfied.number).waitFor({ state: 'detached' });
    const state = await dispatcher.gql<{ workOrder: { state: string; reopenCount: number } }>(
      'query($id: UUID!) { workOrder(id: $id) { ... on WorkOrder { state reopenCount } } }', { id: dissatisfied.id });
    expect(state.workOrder).toEqual({ state: 'IN_PROGRESS', reopenCount: 1 });
  });

  test('an unreached citizen keeps the order in the queue with the attempt counted', async () => {
    await page.getByRole('row', { name: new RegExp(unreached.number) }).getByText('回访测试：树枝遮挡路牌').click();
    await page.getByText('已修剪树枝。').waitFor();
    await form(page).getByText('未联系上', { exact: true }).click();
    await page.getByText('这是第 1 次回访', { exact: false }).waitFor();
    await page.getByRole('button', { name: '保存回访' }).click();
    await page.getByTestId('callback-outcome').getByText('未联系上，已记录第 1 次回访（最多 3 次）', { exact: false }).waitFor();
    await page.getByText('已回访 1 次（最多 3 次）').waitFor();
    await page.locator('.ant-table').getByText(unreached.number).waitFor();
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-04-callback-unreached');
  });

  test('the screen follows the English switch', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Orders to call back' }).waitFor();
    await page.getByRole('heading', { name: 'Record the callback' }).waitFor();
    await page.getByText('Not reached: attempt 1 of at most 3 recorded', { exact: false }).waitFor();
    await screenshot(page, 'oversight-04b-callback-english');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '待回访工单' }).waitFor();
  });

  test('苏州 sees none of these orders', async () => {
    const sz = await new ApiSession('sz.admin').signIn();
    const answer = await sz.gql<{ workOrder: { __typename: string; errors?: { code: string }[] } }>(
      'query($id: UUID!) { workOrder(id: $id) { __typename ... on ValidationErrors { errors { code } } } }', { id: satisfied.id });
    expect(answer.workOrder.errors?.map((e) => e.code)).toEqual(['not_found']);
    const reveal = await sz.gql<{ revealCallerPhone: { __typename: string; errors?: { code: string }[] } }>(
      'mutation($id: UUID!) { revealCallerPhone(orderId: $id) { __typename ... on ValidationErrors { errors { code } } } }', { id: unreached.id });
    expect(reveal.revealCallerPhone.errors?.map((e) => e.code)).toEqual(['not_found']);
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});

describe('supervisor (nj.supervisor)', () => {
  let page: Page;
  let order: Order;
  beforeAll(async () => {
    ({ order } = await dispatchedOrder('督办测试：占道经营', '13600003333', true));
    page = await signedIn('nj.supervisor', '您好，');
  });

  test('sees the board by section, each with its count and an empty state', async () => {
    await page.getByRole('menuitem', { name: '督办' }).click();
    await page.getByRole('tab', { name: /超时未办/ }).waitFor();
    await page.getByRole('tab', { name: /回访超时/ }).waitFor();
    await page.getByText('没有超时的工单。').waitFor();
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-05-supervision-board');
  });

  test('issues a notice by order number; what is missing or refused shows next to the field', async () => {
    await page.getByRole('button', { name: '发起督办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('工单编号').fill(order.number);
    await dialog.getByRole('button', { name: '查找' }).click();
    await dialog.getByText('督办测试：占道经营（办理中）').waitFor();
    await dialog.getByLabel('督办对象（承办单位）').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '新街口街道' }).click();
    await dialog.getByLabel('督办事由').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="领导批示"]').click();
    await dialog.getByRole('button', { name: '发出督办单' }).click();
    await dialog.locator('#issueNotice_instruction_help').getByText('必填。').waitFor();
    await dialog.getByLabel('督办要求').fill('请于两个工作日内清理占道摊位并报告处理结果。');
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-06-supervision-issue');
    await dialog.getByRole('button', { name: '发出督办单' }).click();
    await page.getByText(`已就工单 ${order.number} 向新街口街道发出督办单`).waitFor();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('承办单位尚未回复。').waitFor();
    await drawer.getByText('待回复').waitFor();
    await drawer.getByRole('button', { name: '关闭督办单' }).click();

    // The same level again for the same unit is refused by the API, next to the unit.
    await page.getByRole('button', { name: '发起督办' }).click();
    await dialog.getByLabel('工单编号').fill(order.number);
    await dialog.getByRole('button', { name: '查找' }).click();
    await dialog.getByText('督办测试：占道经营（办理中）').waitFor();
    await dialog.getByLabel('督办对象（承办单位）').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '新街口街道' }).click();
    await dialog.getByLabel('督办事由').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="媒体曝光"]').click();
    await dialog.getByLabel('督办要求').fill('再次督办。');
    await dialog.getByRole('button', { name: '发出督办单' }).click();
    await dialog.locator('#issueNotice_targetUnitCode_help').getByText('已有同级或更高级别的督办单', { exact: false }).waitFor();
    await screenshot(page, 'oversight-07-supervision-duplicate');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('reads the unit’s reply on the notice and closes it', async () => {
    const notices = await street.gql<{ supervisionNotices: { edges: { node: { id: string; orderId: string } }[] } }>(
      '{ supervisionNotices(states: [OPEN], first: 50) { ... on SupervisionNoticeConnection { edges { node { id orderId } } } } }');
    const notice = notices.supervisionNotices.edges.map((e) => e.node).find((n) => n.orderId === order.id);
    expect(notice).toBeDefined();
    const replied = await street.gql<{ replyToSupervision: { __typename: string } }>(
      'mutation($id: UUID!, $text: String!) { replyToSupervision(noticeId: $id, text: $text) { __typename } }',
      { id: notice?.id, text: '已组织城管队员清理摊位，设置提示牌，每日巡查。' });
    expect(replied.replyToSupervision.__typename).toBe('SupervisionNotice');

    await page.getByRole('tab', { name: /督办中/ }).click();
    const row = page.getByRole('row', { name: new RegExp(order.number) });
    await row.getByText('已回复').waitFor();
    await row.getByRole('button', { name: '查看' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByTestId('notice-reply').getByText('已组织城管队员清理摊位，设置提示牌，每日巡查。').waitFor();
    // The open notice is in the address: a reload (or a link) shows it again.
    expect(page.url()).toMatch(/#\/supervision\?tab=OPEN_NOTICES&notice=[0-9a-f-]{36}$/);
    await page.reload();
    await drawer.getByTestId('notice-reply').getByText('已组织城管队员清理摊位，设置提示牌，每日巡查。').waitFor();
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-08-supervision-reply');
    await drawer.getByLabel('办结说明').fill('已核实，摊位已清理。');
    await drawer.getByRole('button', { name: '办结督办单' }).click();
    await page.getByText('督办单已办结').waitFor();
    await drawer.getByText('已核实，摊位已清理。', { exact: false }).waitFor();
    await drawer.getByRole('button', { name: '关闭督办单' }).click();
    await page.getByText('没有待回复或待办结的督办单。').waitFor();
  });

  test('escalates to listed supervision; an unanswered one closes only with a reason', async () => {
    await page.getByRole('button', { name: '发起督办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('工单编号').fill(order.number);
    await dialog.getByRole('button', { name: '查找' }).click();
    await dialog.getByLabel('督办对象（承办单位）').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '新街口街道' }).click();
    await dialog.getByLabel('督办事由').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="重复投诉"]').click();
    await dialog.getByLabel('督办要求').fill('群众反复投诉，请街道主要负责人过问。');
    await dialog.getByRole('button', { name: '发出督办单' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('button', { name: '升级为挂牌督办' }).click();
    const escalation = page.getByRole('dialog', { name: '发起督办' });
    expect(await escalation.getByLabel('督办要求').inputValue()).toBe('群众反复投诉，请街道主要负责人过问。');
    await escalation.getByText('督办测试：占道经营（办理中）').waitFor();
    await escalation.getByRole('button', { name: '发出督办单' }).click();
    await drawer.getByText('挂牌督办').first().waitFor();
    await drawer.getByRole('button', { name: '办结督办单' }).click();
    await drawer.locator('#closeNotice_note_help').getByText('必填。').waitFor();
    await drawer.getByRole('button', { name: '关闭督办单' }).click();
    await page.getByRole('tab', { name: /挂牌督办/ }).click();
    await page.getByRole('row', { name: new RegExp(order.number) }).waitFor();
    await screenshot(page, 'oversight-09-supervision-listed');
  });

  test('苏州 cannot read these notices', async () => {
    const mine = await gqlAs(page, '{ supervisionNotices(first: 5) { ... on SupervisionNoticeConnection { edges { node { id } } } } }');
    const id = mine.supervisionNotices.edges[0]?.node.id ?? '';
    expect(id).not.toBe('');
    const sz = await new ApiSession('sz.admin').signIn();
    const answer = await sz.gql<{ supervisionNotice: { errors?: { code: string }[] } }>(
      'query($id: UUID!) { supervisionNotice(id: $id) { ... on ValidationErrors { errors { code } } } }', { id });
    expect(answer.supervisionNotice.errors?.map((e) => e.code)).toEqual(['not_found']);
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});

describe('leader (nj.leader) on the dashboard', () => {
  let page: Page;
  beforeAll(async () => {
    page = await signedIn('nj.leader', '您好，');
  });

  test('shows the day’s and the month’s volume as the reports API counts it, with the districts of 南京', async () => {
    const today = chinaToday();
    const body = await gql(page, `{ report(kind: MONTHLY, date: "${today}") { ... on Report { total } } }`) as { data: { report: { total: number } } };
    const total = body.data.report.total;
    expect(total).toBeGreaterThanOrEqual(4); // the orders of this file, all in 玄武区
    await page.getByRole('menuitem', { name: '数据看板' }).click();
    await page.getByText('当月受理', { exact: true }).waitFor();
    const monthTotal = page.locator('.ant-statistic').filter({ has: page.getByText('当月受理', { exact: true }) }).locator('.ant-statistic-content-value');
    expect((await monthTotal.textContent())?.replace(/,/g, '')).toBe(String(total));
    const tiles = page.locator('[role="img"][aria-label^="当月各区域受理量"]');
    await tiles.waitFor();
    expect(await tiles.getAttribute('aria-label')).toMatch(/玄武区 [1-9]\d*/);
    expect(await tiles.getAttribute('aria-label')).toContain('江宁区');
    await page.locator('[role="img"][aria-label^="当月各渠道受理量"]').waitFor();
    await page.getByRole('table', { name: '当月红榜' }).getByText('新街口街道').waitFor();
    await page.waitForTimeout(600); // charts draw after their code loads
    await atRest(page);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'oversight-10-dashboard');
  });

  test('downloads the month’s report as an Excel workbook', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载月报（Excel）' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^12345-monthly-\d{4}-\d{2}-01\.xlsx$/);
    const stream = await download.createReadStream();
    const first = await new Promise<Buffer>((resolve) => { stream.once('data', (chunk) => { resolve(Buffer.from(chunk)); }); });
    expect(first.subarray(0, 2).toString()).toBe('PK'); // a zip: what Excel opens
  });

  test('苏州 sees none of 南京’s figures and cannot read its report', async () => {
    const sz = await signedIn('sz.admin', '您好，');
    await sz.goto('/#/dashboard');
    await sz.getByText('当月受理', { exact: true }).waitFor();
    expect(await sz.getByText('玄武区').count()).toBe(0);
    expect(await sz.getByText('新街口街道').count()).toBe(0);
    const today = chinaToday();
    const body = await gql(sz, `{ report(kind: MONTHLY, date: "${today}", tenantCode: "320100") { __typename ... on ValidationErrors { errors { code } } } }`) as
      { data: { report: { __typename: string; errors?: { code: string }[] } } };
    expect(body.data.report.__typename).toBe('ValidationErrors');
    expect(body.data.report.errors?.map((e) => e.code)).toEqual(['not_found']);
    await screenshot(sz, 'oversight-11-dashboard-suzhou');
    await sz.context().close();
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});
