import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from './App';
import { fakeApi, refused, viewer } from './test/fakeApi';

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

const NANJING = { __typename: 'Tenant', id: 't-320100', code: '320100', name: '南京市12345政务服务便民热线', kind: 'CITY', status: 'ACTIVE', parent: null };

async function fillSignIn(login: string, password: string): Promise<void> {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('账号'), login);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: '登录' }));
}

describe('signing in', () => {
  test('nobody signed in: the sign-in form, in Chinese, with labelled fields', async () => {
    fakeApi({ Session: () => ({ me: null }) });
    render(<App />);
    expect(await screen.findByLabelText('账号')).toBeInTheDocument();
    expect(screen.getByLabelText('密码')).toHaveAttribute('type', 'password');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  test('a wrong password says so and empties the password field', async () => {
    fakeApi({
      Session: () => ({ me: null }),
      SignIn: () => ({ login: refused('invalid_credentials', ['password'], 'wrong login or password') }),
    });
    render(<App />);
    await fillSignIn('nj.agent', 'nope');
    expect(await screen.findByText('账号或密码错误。')).toBeInTheDocument();
    expect(screen.getByLabelText('密码')).toHaveValue('');
  });

  test('a locked account reads differently from a wrong password', async () => {
    fakeApi({
      Session: () => ({ me: null }),
      SignIn: () => ({ login: refused('locked', ['login'], 'account locked after repeated failures') }),
    });
    render(<App />);
    await fillSignIn('nj.agent', 'lianxin-demo');
    expect(await screen.findByText(/账号已被临时锁定/)).toBeInTheDocument();
  });

  test('an agent lands on the overview; the agent workspace is in the menu, dispatch and administration are not', async () => {
    let signedIn = false;
    fakeApi({
      Session: () => ({ me: signedIn ? viewer('nj.agent', '南京市坐席话务员', ['AGENT']) : null }),
      SignIn: () => {
        signedIn = true;
        return { login: { __typename: 'LoginSuccess', me: { __typename: 'Me', userId: 'u', login: 'nj.agent', displayName: '南京市坐席话务员' } } };
      },
      SwitchableTenants: () => ({ tenants: [NANJING] }),
    });
    render(<App />);
    await fillSignIn('nj.agent', 'lianxin-demo');
    expect(await screen.findByText('您好，南京市坐席话务员')).toBeInTheDocument();
    const menu = screen.getByRole('navigation', { name: '主菜单' });
    expect(within(menu).getByRole('menuitem', { name: /坐席工作台/ })).not.toHaveAttribute('aria-disabled');
    expect(within(menu).getByRole('menuitem', { name: /工单查询/ })).toBeInTheDocument();
    expect(within(menu).queryByText('系统管理')).toBeNull();
    expect(within(menu).queryByText(/派单/)).toBeNull();
    // An agent acts only where granted: the hotline is named, not offered for switching.
    expect(screen.queryByRole('combobox', { name: '切换热线' })).toBeNull();
    expect(screen.getByText('南京市12345政务服务便民热线', { selector: 'strong' })).toBeInTheDocument();
  });

  test('the English switch translates the form and is remembered', async () => {
    fakeApi({ Session: () => ({ me: null }) });
    render(<App />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'English' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
    expect(localStorage.getItem('lianxin.locale')).toBe('en-US');
    expect(document.documentElement.lang).toBe('en-US');
  });
});

describe('the overview', () => {
  test("shows a dispatcher's waiting work, each count one click from its screen", async () => {
    const counted = (n: number) => ({ __typename: 'WorkOrderConnection', totalCount: n });
    const api = fakeApi({
      Session: () => ({ me: viewer('nj.dispatcher', '南京市派单员', ['DISPATCHER']) }),
      SwitchableTenants: () => ({ tenants: [NANJING] }),
      MyWork: () => ({
        me: { __typename: 'Me', userId: 'u' }, toDispatch: counted(3), returnsToReview: counted(1),
        repliesToReview: counted(0), requestsToReview: counted(2),
      }),
    });
    render(<App />);
    const tile = await screen.findByRole('link', { name: '待派单：3' });
    expect(tile).toHaveAttribute('href', '#/dispatch');
    expect(screen.getByRole('link', { name: '退回待审：1' })).toBeInTheDocument();
    expect(screen.queryByText('待签收')).toBeNull();
    expect(api.calls.find((c) => c.operationName === 'MyWork')?.variables).toMatchObject({ dispatcher: true, unit: false });
  });
});

describe('a signed-in session', () => {
  test('an answer without `me` (idle timeout) returns to the sign-in form with a notice', async () => {
    window.location.hash = '#/admin/tenants';
    fakeApi({
      Session: () => ({ me: viewer('nj.admin', '南京市热线办管理员', ['TENANT_ADMIN']) }),
      SwitchableTenants: () => ({ tenants: [NANJING] }),
      TenantTree: () => ({ me: null, tenants: [] }),
    });
    render(<App />);
    expect(await screen.findByText('您长时间未操作，登录已超时，请重新登录。')).toBeInTheDocument();
    expect(screen.getByLabelText('账号')).toBeInTheDocument();
  });

  test('acts in the chosen tenant through the header, but lists switch targets from the home scope', async () => {
    sessionStorage.setItem('lianxin.actingTenant', '320100');
    const api = fakeApi({
      Session: () => ({ me: viewer('js.admin', '江苏省热线办管理员', ['PROVINCE_ADMIN']) }),
      SwitchableTenants: () => ({ tenants: [NANJING] }),
      TenantTree: () => ({ me: { __typename: 'Me', userId: 'u' }, tenants: [{ ...NANJING, divisionCode: '320100', createdAt: '2025-01-01T00:00:00Z' }] }),
      TenantUnits: () => ({ me: { __typename: 'Me', userId: 'u' }, tenant: { __typename: 'Tenant', id: 't', code: '320100', name: NANJING.name, divisionCode: '320100', units: [] } }),
    });
    render(<App />);
    expect(await screen.findByText('您好，江苏省热线办管理员')).toBeInTheDocument();
    await waitFor(() => {
      expect(api.calls.some((c) => c.operationName === 'SwitchableTenants')).toBe(true);
    });
    expect(api.calls.find((c) => c.operationName === 'Session')?.tenant).toBe('320100');
    expect(api.calls.find((c) => c.operationName === 'SwitchableTenants')?.tenant).toBeNull();
    expect(screen.getByRole('navigation', { name: '主菜单' })).toHaveTextContent('系统管理');
  });
});
