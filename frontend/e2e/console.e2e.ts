import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { accessibilityProblems, choose, focused, gql, launch, newPage, screenshot, shootOnFailure, signIn } from './browser';

// One walk through the console as real accounts of the demo catalogue (tenants/320000-jiangsu.yaml),
// against a fresh backend. Steps run in order and build on each other.
const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
});

async function openTenants(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: '热线（租户）' }).click();
  await page.locator('.ant-tree [data-code]').first().waitFor();
}

async function treeNode(page: Page, code: string) {
  const node = page.locator(`.ant-tree [data-code="${code}"]`);
  await node.waitFor();
  return node;
}

describe('sign-in', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, baseURL);
    await page.goto('/');
    await page.getByLabel('账号').waitFor();
  });

  test('the form is labelled, passes the accessibility checks and follows a sensible Tab order', async () => {
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '01-sign-in');

    // The account field has the focus; Tab goes to the password, then to the button; Shift+Tab back.
    expect(await focused(page)).toContain('input#signIn_login');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('input#signIn_password');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^span.*显示/); // the show-password toggle
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^button.*登录/);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toContain('input#signIn_password');
  });

  test('an empty form says what is missing next to each field', async () => {
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('请输入账号').waitFor();
    await page.getByText('请输入密码').waitFor();
  });

  test('a wrong password is refused with a clear message', async () => {
    await signIn(page, 'js.admin', 'not-the-password');
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('账号或密码错误');
    expect(await page.getByLabel('密码').inputValue()).toBe('');
    await screenshot(page, '02-sign-in-wrong-password');
  });

  test('an account locked after repeated failures says so, even with the right password', async () => {
    // The e2e backend locks after 3 failures (HOTLINE_LOCKOUT_ATTEMPTS=3).
    for (let i = 0; i < 3; i += 1) {
      await signIn(page, 'tj.admin', `wrong-${i}`);
      await page.getByTestId('sign-in-error').getByText('账号或密码错误').waitFor();
    }
    await signIn(page, 'tj.admin'); // an account no other step of the walk signs in with
    await page.getByTestId('sign-in-error').getByText('账号已被临时锁定', { exact: false }).waitFor();
    await screenshot(page, '03-sign-in-locked');
  });

  test('the language switch turns the screen into English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Too many failed attempts', { exact: false }).waitFor(); // the refusal follows the language
    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    await screenshot(page, '04-sign-in-english');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});

describe('province admin (js.admin)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, baseURL);
    await page.goto('/');
    await signIn(page, 'js.admin');
    await page.getByText('您好，江苏省热线办管理员').waitFor();
  });

  test('lands on the overview of 江苏 with the administration menu', async () => {
    await page.getByRole('menuitem', { name: '热线（租户）' }).waitFor();
    await page.getByRole('menuitem', { name: '承办单位' }).waitFor();
    await page.getByRole('menuitem', { name: '用户与角色' }).waitFor();
    await page.getByRole('menuitem', { name: /数据看板/ }).waitFor();
    await page.getByRole('menuitem', { name: '派单配置' }).waitFor();
    await page.locator('[role="img"][aria-label^="各下级热线所辖热线数"]').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '05-home-province');
  });

  test('sees 江苏 with its 13 cities in the tenant tree', async () => {
    await openTenants(page);
    await treeNode(page, '320000');
    await page.locator('.ant-tree [data-kind="CITY"]').nth(12).waitFor();
    expect(await page.locator('.ant-tree [data-kind="CITY"]').count()).toBe(13);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '06-tenants-province');
  });

  test('opens a county hotline under 南京 with the division cascader', async () => {
    await (await treeNode(page, '320100')).click();
    await page.getByRole('heading', { name: '南京市12345政务服务便民热线' }).waitFor();
    await page.getByRole('button', { name: '开设下级热线' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('在"南京市12345政务服务便民热线"下开设热线').waitFor();
    await dialog.getByLabel('行政区划').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '溧水区（320117）' }).click();
    expect(await dialog.getByLabel('编码').inputValue()).toBe('320117');
    expect(await dialog.getByLabel('名称').inputValue()).toBe('溧水区12345政务服务便民热线');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '07-tenant-create');
    await dialog.getByRole('button', { name: '新建' }).click();
    await page.getByText('已开设热线"溧水区12345政务服务便民热线"').waitFor();
    await page.getByRole('heading', { name: '溧水区12345政务服务便民热线' }).waitFor();
    await treeNode(page, '320117');
  });

  test('a second hotline for a division already served is refused next to the division field', async () => {
    await (await treeNode(page, '320100')).click();
    await page.getByRole('button', { name: '开设下级热线' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('编码').fill('320117');
    await dialog.getByLabel('名称').fill('重复的热线');
    await dialog.getByLabel('行政区划').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '溧水区（320117）' }).click();
    await dialog.getByRole('button', { name: '新建' }).click();
    await dialog.locator('#createTenant_divisionCode_help').getByText('该行政区划已有热线在服务。').waitFor();
    await screenshot(page, '08-tenant-create-duplicate');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('renames the new hotline and suspends it', async () => {
    await (await treeNode(page, '320117')).click();
    await page.getByRole('button', { name: '重命名' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('溧水区12345热线（试运行）');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '溧水区12345热线（试运行）' }).waitFor();

    await page.getByRole('button', { name: '暂停' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('已暂停', { exact: true }).first().waitFor();
    await (await treeNode(page, '320117')).getByText('已暂停').waitFor();
    await screenshot(page, '09-tenant-suspended');
  });

  test('switches into 南京 with the tenant switcher and works there', async () => {
    await page.getByTestId('tenant-switcher').click();
    await page.keyboard.type('南京市');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '南京市12345政务服务便民热线' }).click();
    await page.getByTestId('tenant-switcher').getByText('南京市12345政务服务便民热线').waitFor();
    // The screen stays; its tree now starts at 南京.
    await page.getByText('共 12 条热线').waitFor();
    await treeNode(page, '320100');
    expect(await page.locator('.ant-tree [data-code="320000"]').count()).toBe(0);
    await screenshot(page, '10-switched-to-nanjing');
  });

  test('an idle-timed-out session comes back to the sign-in form with a notice', async () => {
    // The server forgets idle sessions; dropping the cookie looks the same from the browser.
    await page.context().clearCookies();
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText('您长时间未操作，登录已超时，请重新登录。').waitFor();
    await page.getByLabel('账号').waitFor();
    await screenshot(page, '11-session-expired');
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});

describe('city admin (nj.admin)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, baseURL);
    await page.goto('/');
    await signIn(page, 'nj.admin');
    await page.getByText('您好，南京市热线办管理员').waitFor();
  });

  test('sees 南京 and its districts, and nothing of 苏州', async () => {
    await openTenants(page);
    await treeNode(page, '320100');
    await treeNode(page, '320102');
    await treeNode(page, '320117'); // opened by the province in the walk above
    expect(await page.locator('.ant-tree [data-kind="COUNTY"]').count()).toBe(11);
    expect(await page.locator('.ant-tree [data-code="320000"], .ant-tree [data-code="320500"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('苏州');

    // The API agrees: 苏州 is "not found" for 南京's admin, as a tenant, as a scope and by its users.
    const other = await gql(page, 'query OtherTenant { tenant(code: "320500") { code } users(tenantCode: "320500") { login } }');
    expect(other).toEqual({ data: { tenant: null, users: [] } });
    const acting = await gql(page, 'query ActAsOther { me { actingTenant { code } } tenants { code } }', '320500');
    expect(acting).toEqual({ data: { me: { actingTenant: null }, tenants: [] } });
    await screenshot(page, '12-tenants-city');
  });

  test('cannot open hotlines (a province admin\'s work) but manages its units', async () => {
    await (await treeNode(page, '320102')).click();
    await page.getByRole('heading', { name: '玄武区12345政务服务便民热线' }).waitFor();
    expect(await page.getByRole('button', { name: '开设下级热线' }).count()).toBe(0);

    await page.getByRole('menuitem', { name: '承办单位' }).click();
    await page.getByLabel('按名称或编码查找单位').fill('新街口');
    await (await treeNode(page, '320102003')).click();
    await page.getByRole('heading', { name: '新街口街道' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '13-units');

    await page.getByRole('button', { name: '新建下级单位' }).click();
    const dialog = page.getByRole('dialog');
    await choose(page, dialog.getByLabel('类型'), '社区');
    await dialog.getByLabel('编码').fill('xjk-e2e');
    await dialog.getByLabel('名称').fill('测试社区');
    await screenshot(page, '14-unit-create');
    await dialog.getByRole('button', { name: '新建' }).click();
    await page.getByText('已新建承办单位"测试社区"').waitFor();
    await page.getByRole('heading', { name: '测试社区' }).waitFor();

    // Move it under 梅园新村街道: the choices leave out the unit itself.
    await page.getByRole('button', { name: '移动' }).click();
    const move = page.getByRole('dialog');
    await move.getByLabel('新的上级单位').click();
    await page.keyboard.type('梅园');
    expect(await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '测试社区（xjk-e2e）' }).count()).toBe(0);
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '梅园新村街道（320102002）' }).click();
    await move.getByRole('button', { name: '保存' }).click();
    await page.getByText('已移动').waitFor();
    await page.getByRole('row', { name: /上级单位/ }).getByText('梅园新村街道').waitFor();

    await page.getByRole('button', { name: '停用' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await (await treeNode(page, 'xjk-e2e')).getByText('已停用').waitFor();
    await screenshot(page, '15-unit-moved-deactivated');
  });

  test('creates a user and grants a role limited to a unit', async () => {
    await page.getByRole('menuitem', { name: '用户与角色' }).click();
    await page.getByRole('cell', { name: 'nj.agent', exact: true }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '16-users');

    await page.getByRole('button', { name: '新建用户' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('账号').fill('nj.e2e');
    await dialog.getByLabel('姓名').fill('测试承办人');
    await dialog.getByLabel('初始密码').fill('short');
    await dialog.getByRole('button', { name: '新建' }).click();
    await dialog.locator('#createUser_password_help').getByText('太短。').waitFor();
    await dialog.getByLabel('初始密码').fill('a-long-enough-password');
    await dialog.getByRole('button', { name: '新建' }).click();
    await page.getByText('已新建用户"测试承办人"').waitFor();

    await page.getByRole('button', { name: '授予角色：测试承办人' }).click();
    dialog = page.getByRole('dialog');
    await choose(page, dialog.getByLabel('角色'), '承办人');
    await dialog.getByLabel('限定承办单位').click();
    await page.keyboard.type('新街口');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '新街口街道（320102003）' }).click();
    await screenshot(page, '17-grant-role');
    await dialog.getByRole('button', { name: '授予角色' }).click();
    await page.getByText('已授予').waitFor();
    const row = page.getByRole('row', { name: /nj\.e2e/ });
    await row.getByText('承办人 · 新街口街道').waitFor();
    await screenshot(page, '18-users-granted');

    await row.getByRole('button', { name: '撤销角色 承办人' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('已撤销').waitFor();
    await row.getByText('未授予角色').waitFor();

    // A reset refuses a short password next to the field; a deactivated account shows as such.
    await row.getByRole('button', { name: '账号：测试承办人' }).click();
    await page.getByRole('menuitem', { name: '重置密码' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('新密码').fill('short');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.locator('#resetPassword_newPassword_help').getByText('太短。').waitFor();
    await dialog.getByLabel('新密码').fill('another-long-password');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText('密码已重置，原有登录已失效').waitFor();
    await row.getByRole('button', { name: '账号：测试承办人' }).click();
    await page.getByRole('menuitem', { name: '停用账号' }).click();
    await page.getByRole('button', { name: '停用账号' }).click();
    await page.getByText('账号已停用').waitFor();
    await row.getByText('停用', { exact: true }).waitFor();
    await screenshot(page, '18b-user-deactivated');
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});

describe('agent (nj.agent)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser, baseURL);
    await page.goto('/');
    await signIn(page, 'nj.agent');
    await page.getByText('您好，南京市坐席话务员').waitFor();
  });

  test('the menu follows the role: the agent workspace is there, administration is absent', async () => {
    await page.getByRole('menuitem', { name: /坐席工作台/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: '热线（租户）' }).count()).toBe(0);
    // The administration screens are refused even when asked for by address.
    await page.goto('/#/admin/users');
    await page.getByText('您没有此操作的权限。').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto('/#/');
    await page.getByText('您好，南京市坐席话务员').waitFor();
    await screenshot(page, '19-home-agent');
  });

  afterEach(shootOnFailure(() => page));
  afterAll(async () => {
    await page.context().close();
  });
});
