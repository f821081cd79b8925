import { CloseOutlined, PlusOutlined, ReloadOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, showFormErrors } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import { StatusTag } from '../../components/StatusTag';
import { TenantPicker } from '../../components/TenantPicker';
import {
  CreateUserDocument, GrantRoleDocument, RevokeRoleDocument, TenantUsersDocument, type Role, type TenantUsersQuery,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { treeOptions } from '../../lib/options';
import { buildTree } from '../../lib/tree';
import { useRoute } from '../../router';
import { AccountActions } from './AccountActions';
import { hasRole, useViewer } from '../../session';

type UserPage = Extract<TenantUsersQuery['userPage'], { __typename: 'UserPage' }>;
type User = UserPage['users'][number];
type Grant = TenantUsersQuery['roleGrants'][number];
type AccountState = 'ACTIVE' | 'LOCKED' | 'INACTIVE';
type UnitRow = NonNullable<TenantUsersQuery['tenant']>['units'][number];

export const ROLES: Role[] = [
  'AGENT', 'DISPATCHER', 'UNIT_HANDLER', 'SUPERVISOR', 'CALLBACK_AGENT', 'POLICY_SPECIALIST', 'ANALYST', 'LEADER',
  'TENANT_ADMIN', 'PROVINCE_ADMIN',
];

interface Row extends User {
  grants: Grant[];
}

/** Users with the grants they hold in the tenant. */
export function joinGrants(users: readonly User[], grants: readonly Grant[]): Row[] {
  return users.map((u) => ({ ...u, grants: grants.filter((g) => g.userId === u.id) }));
}

const PAGE_SIZE = 20;

interface CreateValues {
  login: string;
  displayName: string;
  password: string;
}

function CreateUserModal({ tenantCode, onClose, onCreated }: {
  tenantCode: string;
  onClose: () => void;
  onCreated: (user: { displayName: string }) => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<CreateValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, create] = useMutation(CreateUserDocument);

  const submit = async (values: CreateValues): Promise<void> => {
    const result = await create({
      input: { tenantCode, login: values.login.trim(), displayName: values.displayName.trim(), password: values.password },
    });
    const outcome = result.data?.createUser;
    if (!outcome) setProblems([t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, outcome.errors, ['login', 'displayName', 'password'], t, locale));
    } else onCreated(outcome);
  };

  return (
    <Modal
      open
      title={t('users.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form<CreateValues> form={form} name="createUser" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('users.login')} name="login" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={80} />
        </Form.Item>
        <Form.Item label={t('users.displayName')} name="displayName" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={120} />
        </Form.Item>
        <Form.Item label={t('users.password')} name="password" extra={t('users.passwordHelp')} rules={[{ required: true, message: t('error.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface GrantValues {
  role: Role;
  unitCode?: string;
}

function GrantRoleModal({ tenantCode, user, units, onClose, onGranted }: {
  tenantCode: string;
  user: User;
  units: readonly UnitRow[];
  onClose: () => void;
  onGranted: () => void;
}) {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const [form] = Form.useForm<GrantValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, grant] = useMutation(GrantRoleDocument);
  const roles = ROLES.filter((r) => r !== 'PROVINCE_ADMIN' || hasRole(viewer, 'PROVINCE_ADMIN'));
  const options = useMemo(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    const roots = buildTree(units, (u) => u.code, (u) => (u.parentId ? byId.get(u.parentId)?.code ?? null : null));
    return treeOptions(roots);
  }, [units]);

  const submit = async (values: GrantValues): Promise<void> => {
    const result = await grant({ input: { tenantCode, login: user.login, role: values.role, unitCode: values.unitCode ?? null } });
    const outcome = result.data?.grantRole;
    if (!outcome) setProblems([t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') setProblems(showFormErrors(form, outcome.errors, ['role', 'unitCode'], t, locale));
    else onGranted();
  };

  return (
    <Modal
      open
      title={t('users.grantTitle', { name: user.displayName })}
      okText={t('users.grant')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form<GrantValues> form={form} name="grantRole" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('users.role')} name="role" rules={[{ required: true, message: t('error.required') }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item label={t('users.unit')} name="unitCode" extra={t('users.unitHelp')}>
          <TreeSelect
            treeData={options}
            fieldNames={{ label: 'title', value: 'value', children: 'children' }}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function GrantTag({ grant, unitName, owner, onRevoke }: { grant: Grant; unitName: string | null; owner: string; onRevoke: (grant: Grant) => Promise<void> }) {
  const { t } = useI18n();
  const role = t(`role.${grant.role}`);
  return (
    <Tag color="blue" style={{ marginBottom: 4 }}>
      {unitName ? `${role} · ${unitName}` : role}
      <Popconfirm
        title={t('users.revokeConfirm', { name: owner, role })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onConfirm={() => {
          void onRevoke(grant);
        }}
      >
        <Button
          type="text"
          size="small"
          aria-label={t('users.revoke', { role })}
          title={t('users.revoke', { role })}
          icon={<CloseOutlined aria-hidden style={{ fontSize: 10 }} />}
          style={{ marginInlineStart: 2, height: 18, width: 18, minWidth: 18 }}
        />
      </Popconfirm>
    </Tag>
  );
}

export function UsersPage() {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const { message } = App.useApp();
  const [route, navigate] = useRoute();
  const tenantCode = route.params.get('tenant') ?? viewer.actingTenant?.code ?? '';
  const [search, setSearch] = useState('');
  const [state, setState] = useState<AccountState | null>(null);
  const [current, setCurrent] = useState(1);
  const [{ data, fetching }, refetch] = useQuery({
    query: TenantUsersDocument,
    variables: { tenantCode, search: search || null, state, first: PAGE_SIZE, offset: (current - 1) * PAGE_SIZE },
    pause: !tenantCode,
  });
  const [, revoke] = useMutation(RevokeRoleDocument);
  const [modal, setModal] = useState<'create' | 'grant' | null>(null);
  const [grantee, setGrantee] = useState<User | null>(null);

  const units = useMemo(() => data?.tenant?.units ?? [], [data]);
  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const page = data?.userPage.__typename === 'UserPage' ? data.userPage : null;
  const rows = useMemo(() => (page ? joinGrants(page.users, page.grants) : []), [page]);
  const others = data?.roleGrants ?? [];
  const reload = (): void => {
    refetch({ requestPolicy: 'network-only' });
  };

  const revokeGrant = async (grant: Grant): Promise<void> => {
    const outcome = (await revoke({ grantId: grant.id })).data?.revokeRole;
    if (!outcome) void message.error(t('app.unexpectedError'));
    else if (outcome.__typename === 'ValidationErrors') void message.error(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    else {
      void message.success(t('users.revoked'));
      reload();
    }
  };

  const columns: ColumnsType<Row> = [
    { title: t('users.login'), dataIndex: 'login', key: 'login', width: 180 },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName', width: 200 },
    {
      title: t('users.state'), key: 'state', width: 110,
      render: (_, r) =>
        !r.active ? <StatusTag tone="off">{t('users.inactive')}</StatusTag> : r.locked ? <StatusTag tone="bad">{t('users.locked')}</StatusTag> : <StatusTag tone="ok">{t('users.active')}</StatusTag>,
    },
    {
      title: t('users.roles'), key: 'roles',
      render: (_, r) =>
        r.grants.length === 0 ? (
          <Typography.Text type="secondary">{t('users.noRoles')}</Typography.Text>
        ) : (
          r.grants.map((g) => (
            <GrantTag key={g.id} grant={g} owner={r.displayName} unitName={g.unitId ? unitName.get(g.unitId) ?? null : null} onRevoke={revokeGrant} />
          ))
        ),
    },
    {
      title: t('common.actions'), key: 'actions', width: 220,
      render: (_, r) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<PlusOutlined aria-hidden />}
            aria-label={`${t('users.grant')}：${r.displayName}`}
            onClick={() => {
              setGrantee(r);
              setModal('grant');
            }}
          >
            {t('users.grant')}
          </Button>
          <AccountActions account={r} onChanged={reload} />
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('users.title')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('users.intro')}</Typography.Paragraph>
        <Space wrap>
          <label htmlFor="users-tenant">{t('users.tenant')}</label>
          <TenantPicker
            id="users-tenant"
            label={t('users.tenant')}
            value={tenantCode}
            onChange={(code) => {
              navigate('/admin/users', { tenant: code });
            }}
          />
        </Space>
      </div>
      <Card
        title={data?.tenant ? `${t('users.title')} · ${tenantCode}` : t('users.title')}
        extra={
          <Space>
            <Select<AccountState>
              aria-label={t('users.state')}
              placeholder={t('users.state')}
              allowClear
              style={{ width: 110 }}
              value={state ?? undefined}
              onChange={(v: AccountState | undefined) => {
                setState(v ?? null);
                setCurrent(1);
              }}
              options={[
                { value: 'ACTIVE', label: t('users.active') },
                { value: 'LOCKED', label: t('users.locked') },
                { value: 'INACTIVE', label: t('users.inactive') },
              ]}
            />
            <Input.Search
              aria-label={t('users.search')}
              placeholder={t('users.search')}
              allowClear
              onSearch={(text) => {
                setSearch(text.trim());
                setCurrent(1);
              }}
              style={{ width: 220 }}
            />
            <Button aria-label={t('common.refresh')} title={t('common.refresh')} icon={<ReloadOutlined aria-hidden />} onClick={reload} />
            <Button
              type="primary"
              icon={<UserAddOutlined aria-hidden />}
              disabled={!data?.tenant}
              onClick={() => {
                setModal('create');
              }}
            >
              {t('users.create')}
            </Button>
          </Space>
        }
      >
        <Table<Row>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={fetching}
          pagination={{
            current, pageSize: PAGE_SIZE, total: page?.totalCount ?? 0, hideOnSinglePage: true, showSizeChanger: false,
            onChange: setCurrent,
          }}
          locale={{ emptyText: <Empty description={data && !data.tenant ? t('error.not_found') : t('common.empty')} /> }}
          size="middle"
        />
      </Card>
      {others.length > 0 && (
        <Card title={t('users.otherGrants')}>
          {others.map((g) => (
            <GrantTag key={g.id} grant={g} owner={t('users.otherAccount')} unitName={g.unitId ? unitName.get(g.unitId) ?? null : null} onRevoke={revokeGrant} />
          ))}
        </Card>
      )}
      {modal === 'create' && (
      <CreateUserModal
        tenantCode={tenantCode}
        onClose={() => {
          setModal(null);
        }}
        onCreated={(user) => {
          setModal(null);
          void message.success(t('users.created', { name: user.displayName }));
          reload();
        }}
      />
      )}
      {modal === 'grant' && grantee && (
      <GrantRoleModal
        tenantCode={tenantCode}
        user={grantee}
        units={units}
        onClose={() => {
          setModal(null);
        }}
        onGranted={() => {
          setModal(null);
          void message.success(t('users.granted'));
          reload();
        }}
      />
      )}
    </Space>
  );
}
