import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { I18nProvider } from '../../i18n';
import { SessionProvider, useSession } from '../../session';
import { fakeApi, refused, viewer } from '../../test/fakeApi';
import { SupervisionPage } from './SupervisionPage';

afterEach(() => {
  vi.unstubAllGlobals();
});

const count = (n: number) => ({ __typename: 'SupervisionBoardConnection', totalCount: n });

function overdueLine(n: number) {
  return {
    __typename: 'SupervisionBoardItem', deadlineKind: 'reply', dueAt: '2020-01-01T00:00:00Z', notice: null,
    order: {
      __typename: 'WorkOrder', id: `order-${String(n)}`, number: `320100-20261122-${String(n).padStart(5, '0')}`,
      title: `井盖缺失 ${String(n)}`, state: 'IN_PROGRESS', responseLevel: 3, supervised: false,
    },
    assignment: {
      __typename: 'Assignment', id: `a-${String(n)}`, role: 'LEAD', state: 'IN_PROGRESS',
      unit: { __typename: 'Unit', code: '320102003', name: '新街口街道' },
    },
  };
}

function Harness() {
  const { state } = useSession();
  return state.status === 'signedIn' ? <SupervisionPage /> : null;
}

describe('SupervisionPage', () => {
  test('pages an overdue section by cursor and issues a notice from a line; the API’s refusal sits next to the unit', async () => {
    const api = fakeApi({
      Session: () => ({ me: viewer('nj.supervisor', '督办员', ['SUPERVISOR']) }),
      SupervisionCounts: () => ({ overdueAssignments: count(21), openNotices: count(0), escalations: count(0), overdueCallbacks: count(2) }),
      SupervisionBoard: (v) => ({
        me: { __typename: 'Me', userId: 'u' },
        supervisionBoard: {
          __typename: 'SupervisionBoardConnection', section: v.section, totalCount: 21,
          pageInfo: { __typename: 'PageInfo', hasNextPage: v.after === null || v.after === undefined, endCursor: 'c20' },
          edges: [{ __typename: 'SupervisionBoardEdge', cursor: 'c1', node: overdueLine(v.after ? 21 : 1) }],
        },
      }),
      SupervisionTarget: () => ({
        workOrder: {
          __typename: 'WorkOrder', id: 'order-1', number: '320100-20261122-00001', title: '井盖缺失 1', state: 'IN_PROGRESS',
          assignments: [overdueLine(1).assignment],
        },
      }),
      OpenSupervision: () => ({ openSupervision: refused('not_assigned', ['input', 'targetUnitCode'], 'does not handle this order') }),
    });
    render(<I18nProvider locale="zh-CN"><SessionProvider><Harness /></SessionProvider></I18nProvider>);
    const table = await screen.findByRole('table', { name: '超时未办' });
    expect(await within(table).findByRole('link', { name: '320100-20261122-00001' })).toHaveAttribute('href', '#/order?id=order-1');
    expect(within(table).getByText('答复')).toBeInTheDocument();
    expect(within(table).getByText(/^已超时/)).toBeInTheDocument();
    expect(await within(screen.getByRole('tab', { name: /超时未办/ })).findByTitle('21')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '下一页' }));
    expect(await within(table).findByText('320100-20261122-00021')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.operationName === 'SupervisionBoard').at(-1)?.variables).toMatchObject({ after: 'c20' });
    await user.click(screen.getByRole('button', { name: '上一页' }));
    expect(await within(table).findByText('320100-20261122-00001')).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: /^督\s?办$/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('工单编号')).toHaveValue('320100-20261122-00001');
    await within(dialog).findByText('井盖缺失 1（办理中）');
    await user.type(within(dialog).getByLabelText('督办要求'), '请立即补设井盖并报告。');
    await user.click(within(dialog).getByRole('button', { name: '发出督办单' }));
    await within(dialog).findByText('该单位没有承办这件工单。');
    expect(api.calls.find((c) => c.operationName === 'OpenSupervision')?.variables).toMatchObject({
      input: { orderId: 'order-1', targetUnitCode: '320102003', reason: 'OVERDUE', level: 'NOTICE', instruction: '请立即补设井盖并报告。' },
    });
    await waitFor(() => {
      expect(dialog.querySelector('#issueNotice_targetUnitCode_help')?.textContent).toContain('该单位没有承办这件工单。');
    });
  });
});
