import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { accessibilityProblems, gql, launch, newPage, screenshot, shootOnFailure, signIn } from './browser';

// The agent workspace (坐席工作台) as 南京's agent: a whole order recorded with the keyboard on a live call,
// the caller's history and duplicates shown while typing, a consultation answered from the knowledge base.
// 苏州's agent sees none of it.
const baseURL = inject('baseURL');
const CALLER = '13905170001';
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
});

async function signedIn(login: string): Promise<Page> {
  const page = await newPage(browser, baseURL);
  await page.goto('/');
  await signIn(page, login);
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
  return page;
}

async function mutate(page: Page, query: string): Promise<Record<string, unknown>> {
  const result = (await gql(page, query)) as { data?: Record<string, Record<string, unknown>>; errors?: unknown };
  expect(result.errors).toBeUndefined();
  const payload = Object.values(result.data ?? {})[0];
  expect(payload?.__typename).not.toBe('ValidationErrors');
  return payload ?? {};
}

describe('agent workspace', () => {
  let page: Page;
  let articleId = '';
  afterEach(shootOnFailure(() => page));

  beforeAll(async () => {
    // 南京's admin publishes the article the agent will answer from.
    const admin = await signedIn('nj.admin');
    const created = await mutate(admin, `mutation { createKnowledgeArticle(input: {
      kind: QA, title: "燃气费缴纳方式", question: "燃气费怎么缴纳？",
      body: "燃气费可通过港华燃气营业厅、支付宝生活缴费或银行代扣缴纳；欠费停气后缴清即恢复。" }) {
      __typename ... on KnowledgeArticle { id } } }`);
    articleId = String(created.id);
    await mutate(admin, `mutation { submitKnowledgeArticle(id: "${articleId}") { __typename } }`);
    await mutate(admin, `mutation { publishKnowledgeArticle(id: "${articleId}") { __typename } }`);
    await admin.context().close();

    page = await signedIn('nj.agent');
    // An earlier call of the same caller, still open.
    await mutate(page, `mutation { createWorkOrder(input: { channel: PHONE, requestType: COMPLAINT, categoryCode: "010202",
      title: "珠江路夜间施工噪音扰民", content: "珠江路地铁站旁工地每晚十一点后仍在施工，噪音很大。",
      caller: { phone: "${CALLER}", name: "王先生" } }) { __typename ... on WorkOrder { id } } }`);
    await page.goto('/#/workspace');
    await page.getByRole('heading', { name: '坐席工作台' }).waitFor();
  });

  test('an empty form says what is missing next to each field', async () => {
    await page.getByRole('button', { name: '受 理' }).or(page.getByRole('button', { name: '受理' })).first().click();
    await page.getByText('请填写标题').waitFor();
    await page.getByText('请填写诉求内容').waitFor();
    await page.getByText('请填写诉求类型').waitFor();
    await page.getByText('请填写分类').waitFor();
  });

  test('the whole order is recorded with the keyboard; history and duplicates show while typing', async () => {
    await page.getByLabel('来电号码', { exact: true }).focus();
    await page.keyboard.type(CALLER);
    // The caller's history appears at once: a repeat caller with the open order.
    await page.getByText('重复来电：共 1 件，未办结 1 件').waitFor();
    await page.getByRole('region', { name: '来电人' }).getByText('珠江路夜间施工噪音扰民').waitFor();

    await page.keyboard.press('Tab'); // name
    await page.keyboard.type('王先生');
    await page.keyboard.press('Tab'); // 保密
    await page.keyboard.press('Tab'); // channel: 电话 by default
    await page.keyboard.press('Tab'); // request type
    await page.keyboard.type('投诉');
    // Enter picks the highlighted option only once the list shows it (before that it would submit the form)
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active[title="投诉"]').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await page.keyboard.press('Tab'); // response level: 四级 by default
    await page.keyboard.press('Tab'); // title
    await page.keyboard.type('珠江路工地夜间施工仍未停止');
    expect(await page.getByLabel('标题', { exact: true }).inputValue()).toBe('珠江路工地夜间施工仍未停止');
    await page.keyboard.press('Tab'); // content
    await page.keyboard.type('上周反映过的珠江路地铁站旁工地，昨晚十二点还在施工，噪音扰民。');
    await page.keyboard.press('Tab'); // category: search by name
    // (under load the debounced suggestions can land mid-Tab; make sure the keys go to the category field)
    await page.getByLabel('分类', { exact: true }).focus();
    await page.keyboard.type('城管执法');
    // the search results come from the taxonomy as typed: wait for them before choosing with the keys
    await page.locator('.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden) .ant-cascader-menu-item').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.ant-form-item').filter({ hasText: '分类' }).first().getByTitle(/城管执法/).waitFor();

    // The earlier order is flagged as a possible duplicate, linked to its page.
    const duplicates = page.getByRole('region', { name: '疑似重复' });
    await duplicates.getByRole('link', { name: /珠江路夜间施工噪音扰民/ }).waitFor();
    await duplicates.getByText('同一来电人').first().waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'workspace-01-typing');

    await page.getByLabel('详细地址', { exact: true }).focus();
    await page.keyboard.type('玄武区珠江路地铁站2号口');
    await page.keyboard.press('Enter'); // submits
    const result = page.getByRole('status').filter({ hasText: '已受理，工单号' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/已派至|等待派单/);
    await result.getByRole('link', { name: '打开工单' }).waitFor();
    // The form is empty again, ready for the next call, and the order is in today's intake.
    expect(await page.getByLabel('来电号码', { exact: true }).inputValue()).toBe('');
    await page.getByRole('table').getByText('珠江路工地夜间施工仍未停止').waitFor();
    await screenshot(page, 'workspace-02-recorded');
  });

  test('a consultation is answered from the knowledge base and closes at once (直办)', async () => {
    await page.getByLabel('标题', { exact: true }).fill('咨询燃气费缴纳');
    await page.getByLabel('诉求内容', { exact: true }).fill('燃气费怎么缴纳');
    const knowledge = page.getByRole('region', { name: '知识库答案' });
    await knowledge.getByText('燃气费缴纳方式').waitFor();
    await knowledge.getByRole('button', { name: '用此答复直办' }).first().click();
    // Taking the article makes it a consultation with the article's answer.
    await page.getByText('答复取自知识：燃气费缴纳方式').waitFor();
    expect(await page.getByLabel(/直办答复/).inputValue()).toContain('支付宝');
    await page.getByLabel('分类', { exact: true }).focus();
    await page.keyboard.type('燃气供应');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByLabel(/直办答复/).focus();
    await page.keyboard.press('Control+Enter');
    const result = page.getByRole('status').filter({ hasText: '已直办办结' });
    await result.waitFor();
    await screenshot(page, 'workspace-03-answered');

    const article = (await gql(page, `{ knowledgeArticle(id: "${articleId}") { ... on KnowledgeArticle { usage { directAnswers } } } }`)) as {
      data: { knowledgeArticle: { usage: { directAnswers: number } } };
    };
    expect(article.data.knowledgeArticle.usage.directAnswers).toBe(1);
  });
});

describe('knowledge base', () => {
  let page: Page;
  afterEach(shootOnFailure(() => page));

  test('an editor writes an article, submits it for review and publishes it; the versions are listed', async () => {
    page = await signedIn('nj.admin');
    await page.goto('/#/knowledge');
    await page.getByRole('tab', { name: '本级知识' }).click();
    await page.getByRole('button', { name: '新建知识' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /保存草稿/ }).click();
    await dialog.getByText('请填写此项').first().waitFor(); // title and answer are required
    await dialog.getByLabel('标题', { exact: true }).fill('居住证办理材料');
    await dialog.getByLabel('答复内容', { exact: true }).fill('办理居住证需身份证、近期照片和居住证明，到社区警务室申请，15个工作日内领取。');
    await dialog.getByLabel('失效日期', { exact: true }).fill('2030-12-31');
    // The unit that keeps it current (责任单位), judged by the knowledge-base upkeep rate.
    await dialog.getByLabel('责任单位', { exact: true }).fill('城市管理');
    await page.getByTitle('南京市城市管理局（nj-cgj）').click();
    await dialog.getByRole('button', { name: /保存草稿/ }).click();
    // The article opens in its drawer as a draft.
    const drawer = page.getByRole('dialog');
    await drawer.getByText('草稿').first().waitFor();
    await drawer.getByText('南京市城市管理局').waitFor();
    await drawer.getByRole('button', { name: '提交审核' }).click();
    await drawer.getByText('待审核').first().waitFor();
    await drawer.getByRole('button', { name: '审核发布' }).click();
    await drawer.getByText('v1 居住证办理材料').waitFor();
    await drawer.getByText('已发布').first().waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'workspace-04-knowledge-article');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('table').getByText('居住证办理材料').waitFor();
    await screenshot(page, 'workspace-05-knowledge-own');
  });

  test('everyone finds the published article by searching in Chinese', async () => {
    await page.getByRole('tab', { name: '搜索知识' }).click();
    await page.getByRole('searchbox', { name: '搜索知识' }).fill('居住证');
    await page.keyboard.press('Enter');
    const results = page.getByRole('region', { name: '搜索结果' });
    await results.getByText('居住证办理材料').waitFor();
    await screenshot(page, 'workspace-06-knowledge-search');
    await page.context().close();
  });
});

describe("policy specialists' inbox", () => {
  let page: Page;
  afterEach(shootOnFailure(() => page));

  beforeAll(async () => {
    // 一企来's admin names the specialist for tax questions and routes the domain; two enterprises ask.
    const admin = await signedIn('yql.admin');
    await mutate(admin, 'mutation { registerPolicySpecialist(login: "yql.specialist", department: "省税务局", policyDomains: ["税务"]) { __typename } }');
    await mutate(admin, 'mutation { setPolicyRoute(policyDomain: "税务", department: "省税务局", answerHours: 8) { __typename } }');
    for (const title of ['小微企业增值税减免如何申请', '研发费用加计扣除的口径']) {
      await mutate(admin, `mutation { askEnterpriseQuestion(input: { creditCode: "91110000802100433B", enterpriseName: "示例科技有限公司",
        policyDomain: "税务", title: "${title}", content: "${title}？请说明条件和办理渠道。" }) { __typename } }`);
    }
    await admin.context().close();
    page = await signedIn('yql.specialist');
    await page.goto('/#/policy');
    await page.getByRole('heading', { name: '政策专员工作台' }).waitFor();
  });

  test('the specialist answers one question and passes the other to a department', async () => {
    const inbox = page.getByRole('table', { name: '待答复问题' });
    await inbox.getByText('小微企业增值税减免如何申请').waitFor();
    expect(await inbox.textContent()).toMatch(/剩余/); // the deadline is shown plainly
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'workspace-07-policy-inbox');

    await inbox.getByRole('button', { name: '小微企业增值税减免如何申请' }).click();
    await page.getByRole('button', { name: '提交答复' }).click();
    await page.getByText('请填写答复').waitFor();
    await page.getByLabel('答复', { exact: true }).fill('月销售额10万元以下的小规模纳税人免征增值税，在电子税务局申报时自动享受。');
    await page.getByRole('button', { name: '提交答复' }).click();
    await page.getByText('已答复').waitFor();
    await inbox.getByText('小微企业增值税减免如何申请').waitFor({ state: 'detached' });

    await inbox.getByRole('button', { name: '研发费用加计扣除的口径' }).click();
    await page.getByLabel('转交部门', { exact: true }).fill('省科技厅');
    await page.getByLabel('原因', { exact: true }).fill('涉及研发项目认定，需科技部门答复');
    await page.getByRole('button', { name: '转 交' }).or(page.getByRole('button', { name: '转交', exact: true })).first().click();
    await page.getByText('已转交省科技厅').waitFor();
    await page.getByText('没有待答复的问题。').waitFor();
    await screenshot(page, 'workspace-08-policy-done');
    await page.context().close();
  });
});

describe('another hotline', () => {
  let page: Page;
  afterEach(shootOnFailure(() => page));

  test("苏州's agent sees neither the caller's history nor 南京's intake", async () => {
    page = await signedIn('sz.agent');
    await page.goto('/#/workspace');
    await page.getByLabel('来电号码', { exact: true }).fill(CALLER);
    await page.getByText('首次来电，没有历史工单。').waitFor();
    await page.getByLabel('诉求内容', { exact: true }).fill('燃气费怎么缴纳');
    await page.getByText('没有找到相关知识。').waitFor();
    expect(await page.getByRole('table').textContent()).not.toContain('珠江路');
    // Nor 南京's own knowledge.
    await page.goto('/#/knowledge');
    await page.getByRole('searchbox', { name: '搜索知识' }).fill('居住证');
    await page.keyboard.press('Enter');
    await page.getByText('没有找到相关知识。').waitFor();
    await page.context().close();
  });
});
