import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { I18nProvider } from '../i18n';
import { SessionProvider, useSession } from '../session';
import { fakeApi, viewer } from '../test/fakeApi';
import { OrderQueueTable } from './OrderQueueTable';

afterEach(() => {
  vi.unstubAllGlobals();
});

function row(n: number, patch: Record<string, unknown> = {}) {
  return {
    __typename: 'WorkOrder', id: `id-${String(n)}`, number: `320100-20261122-${String(n).padStart(5, '0')}`,
    state: 'IN_PROGRESS', channel: 'PHONE', requestType: 'COMPLAINT', categoryCode: '010201',
    category: { __typename: 'Category', code: '010201', name: '园林绿化环卫' }, title: `路灯不亮 ${String(n)}`,
    responseLevel: 3, supervised: false, returnCount: 0, createdAt: '2026-11-22T01:00:00Z', closedAt: null,
    nextDueAt: null, location: { __typename: 'Location', divisionCode: '320102003', address: '中山路1号' },
    assignments: [], ...patch,
  };
}

function page(rows: unknown[], total: number) {
  return {
    me: { __typename: 'Me', userId: 'u' },
    workOrderQueue: {
      __typename: 'WorkOrderConnection', totalCount: total,
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
      edges: rows.map((node, i) => ({ __typename: 'WorkOrderEdge', cursor: String(i), node })),
    },
  };
}

function Harness() {
  const { state } = useSession();
  return state.status === 'signedIn'
    ? <OrderQueueTable queue="ALL" label="全部工单" controls={['text', 'due']} /> : null;
}

describe('OrderQueueTable', () => {
  test('pages, sorts and searches on the server, and links each number to its detail', async () => {
    const api = fakeApi({
      Session: () => ({ me: viewer('nj.supervisor', '督办员', ['SUPERVISOR']) }),
      WorkOrderQueuePage: (v) => page(
        [row(Number(v.offset ?? 0) + 1, { supervised: true, nextDueAt: '2020-01-01T00:00:00Z' })], 45),
    });
    render(<I18nProvider locale="zh-CN"><SessionProvider><Harness /></SessionProvider></I18nProvider>);
    const table = await screen.findByRole('table');
    const link = await within(table).findByRole('link', { name: '320100-20261122-00001' });
    expect(link).toHaveAttribute('href', '#/order?id=id-1');
    expect(within(table).getByText('督办中')).toBeInTheDocument();
    expect(within(table).getByText(/^已超时/)).toBeInTheDocument();
    expect(screen.getByText('共 45 件')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByTitle('3'));
    await waitFor(() => {
      expect(api.calls.at(-1)?.variables).toMatchObject({ offset: 40, first: 20 });
    });
    await user.click(within(table).getByRole('columnheader', { name: /响应等级/ }));
    await waitFor(() => {
      expect(api.calls.at(-1)?.variables).toMatchObject({ offset: 0, orderBy: { field: 'RESPONSE_LEVEL', descending: false } });
    });
    await user.type(screen.getByRole('searchbox', { name: /编号、标题/ }), '井盖{Enter}');
    await waitFor(() => {
      expect(api.calls.at(-1)?.variables).toMatchObject({ offset: 0, filter: { text: '井盖' } });
    });
  });
});
