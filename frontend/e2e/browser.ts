import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { TestContext } from 'vitest';

const require = createRequire(import.meta.url);
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
export const PASSWORD = 'lianxin-demo';

/** Debian's Chromium: Playwright's own browser download does not work here. */
export async function launch(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run',
    ],
  });
}

export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let messages and animations settle so that the picture shows the screen as a person sees it.
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Accessibility basics with axe-core (WCAG 2 A and AA: labels, names, alt text, ARIA, contrast).
 * Returns a readable list of violations; empty means the screen passed.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.waitForTimeout(400); // let transitions finish: half-faded colours are not what people see
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    // Popup lists of cascaders and selects scroll, but are operated with the arrow keys of their
    // combobox (which has the focus), so they need no focus of their own.
    const context = { include: [document.body], exclude: [['.ant-cascader-menu'], ['.ant-select-tree-list-holder'], ['.rc-virtual-list-holder']] };
    const result = await axe.run(context as unknown as Document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  }) as AxeViolation[];
  return violations.map(
    (v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`,
  );
}

/** What the keyboard focus is on: a short description for checking the Tab order. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    const id = el.id ? `#${el.id}` : '';
    const name = el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 20);
    return `${el.tagName.toLowerCase()}${id}${name ? ` ${name}` : ''}`;
  });
}

/** Sends a GraphQL request from the page, with its session cookie (for checks a screen cannot show). */
export async function gql(page: Page, query: string, tenant?: string): Promise<unknown> {
  return page.evaluate(
    async ([q, t]) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (t) headers['X-Hotline-Tenant'] = t;
      const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: q }) });
      return response.json() as Promise<unknown>;
    },
    [query, tenant ?? ''] as const,
  );
}

/** A picture of the screen at the moment a step failed, for whoever reads the report. */
export function shootOnFailure(page: () => Page) {
  return async (context: TestContext): Promise<void> => {
    if (context.task.result?.state === 'fail') {
      await screenshot(page(), `FAILED-${context.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}`);
    }
  };
}

/** Picks an option of an antd Select by its label, and checks that the choice took. */
export async function choose(page: Page, field: Locator, label: string): Promise<void> {
  const item = field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await field.click();
    await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${label}"]`).click();
    if ((await item.textContent())?.includes(label)) return;
  }
  throw new Error(`could not choose ${label}`);
}
