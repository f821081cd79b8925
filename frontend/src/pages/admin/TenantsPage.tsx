import { PauseCircleOutlined, PlayCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Result, Row, Select, Skeleton, Space,
  Tree, Typography,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, showFormErrors, type FieldError } from '../../api/errors';
import { DivisionCascader } from '../../components/DivisionCascader';
import { FormProblems } from '../../components/FormProblems';
import { RenameModal } from '../../components/RenameModal';
import { StatusTag } from '../../components/StatusTag';
import {
  CreateTenantDocument, RenameTenantDocument, ResumeTenantDocument, SuspendTenantDocument, TenantTreeDocument,
  type TenantFieldsFragment, type TenantKind,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { buildTree, findNode, keysToReveal, type TreeNode } from '../../lib/tree';
import { href } from '../../router';
import { hasRole, useSession, useViewer } from '../../session';

type Tenant = TenantFieldsFragment;

/** Which kinds may be opened below which (the API decides; this only keeps the form's choices sensible). */
export const CHILD_KINDS: Record<TenantKind, TenantKind[]> = {
  PROVINCE: ['CITY', 'COUNTY', 'ENTERPRISE_LINE', 'SUB_CENTRE'],
  CITY: ['COUNTY', 'ENTERPRISE_LINE', 'SUB_CENTRE'],
  COUNTY: ['ENTERPRISE_LINE', 'SUB_CENTRE'],
  ENTERPRISE_LINE: [],
  SUB_CENTRE: [],
};

const NEEDS_DIVISION: Partial<Record<TenantKind, 'city' | 'county'>> = { CITY: 'city', COUNTY: 'county' };

function TenantTitle({ tenant, highlight }: { tenant: Tenant; highlight: string }) {
  const { t } = useI18n();
  const hit = highlight !== '' && (tenant.name.includes(highlight) || tenant.code.includes(highlight));
  return (
    <span data-kind={tenant.kind} data-code={tenant.code}>
      <span style={hit ? { background: '#ffe58f' } : undefined}>{tenant.name}</span>{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tenant.code}</Typography.Text>
      {tenant.status === 'SUSPENDED' && <> <StatusTag tone="warn">{t('status.SUSPENDED')}</StatusTag></>}
    </span>
  );
}

interface TreeData {
  key: string;
  title: ReactNode;
  children: TreeData[];
}

function toTreeData(nodes: TreeNode<Tenant>[], highlight: string): TreeData[] {
  return nodes.map((n) => ({
    key: n.key,
    title: <TenantTitle tenant={n.item} highlight={highlight} />,
    children: toTreeData(n.children, highlight),
  }));
}

interface CreateValues {
  kind: TenantKind;
  divisionCode?: string[];
  code: string;
  name: string;
}

function CreateTenantModal({ parent, onClose, onCreated }: {
  parent: Tenant;
  onClose: () => void;
  onCreated: (tenant: Tenant) => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<CreateValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, create] = useMutation(CreateTenantDocument);
  const kinds = CHILD_KINDS[parent.kind];
  const kind = Form.useWatch('kind', form) as TenantKind | undefined; // undefined until the form mounts
  const level = kind ? NEEDS_DIVISION[kind] : undefined;

  const submit = async (values: CreateValues): Promise<void> => {
    setProblems([]);
    const divisionCode = level ? values.divisionCode?.[values.divisionCode.length - 1] ?? null : null;
    const result = await create({
      input: { parentCode: parent.code, kind: values.kind, code: values.code.trim(), name: values.name.trim(), divisionCode },
    });
    const outcome = result.data?.createTenant;
    if (!outcome) {
      setProblems([t('app.unexpectedError')]);
    } else if (outcome.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, outcome.errors, ['kind', 'divisionCode', 'code', 'name'], t, locale));
    } else {
      onCreated(outcome);
    }
  };

  return (
    <Modal
      open
      title={t('tenants.createTitle', { parent: parent.name })}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form<CreateValues>
        form={form}
        name="createTenant"
        layout="vertical"
        initialValues={{ kind: kinds[0] }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item label={t('common.kind')} name="kind" rules={[{ required: true, message: t('error.required') }]}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        </Form.Item>
        {level && (
          <Form.Item label={t('common.division')} name="divisionCode" rules={[{ required: true, message: t('error.required') }]}>
            <DivisionCascader
              rootCode={parent.divisionCode}
              leafLevel={level}
              exactLevel
              placeholder={t('tenants.divisionPlaceholder')}
              onChange={(path, names) => {
                const code = path[path.length - 1];
                const name = names[names.length - 1];
                if (code && !form.getFieldValue('code')) form.setFieldValue('code', code);
                if (name && !form.getFieldValue('name')) form.setFieldValue('name', `${name}12345政务服务便民热线`);
              }}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('common.code')}
          name="code"
          extra={level ? t('tenants.codeHelp') : undefined}
          rules={[{ required: true, whitespace: true, message: t('error.required') }]}
        >
          <Input autoComplete="off" maxLength={40} />
        </Form.Item>
        <Form.Item label={t('common.name')} name="name" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={120} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TenantDetail({ tenant, isActing, canManage, onChanged, onCreateChild, onRename }: {
  tenant: Tenant;
  isActing: boolean;
  canManage: boolean;
  onChanged: () => void;
  onCreateChild: () => void;
  onRename: () => void;
}) {
  const { t, locale, formatDateTime } = useI18n();
  const { message } = App.useApp();
  const { switchTenant } = useSession();
  const [, suspend] = useMutation(SuspendTenantDocument);
  const [, resume] = useMutation(ResumeTenantDocument);

  const changeStatus = async (to: 'suspend' | 'resume'): Promise<void> => {
    const result = to === 'suspend' ? await suspend({ code: tenant.code }) : await resume({ code: tenant.code });
    const outcome = result.data ? ('suspendTenant' in result.data ? result.data.suspendTenant : result.data.resumeTenant) : undefined;
    if (!outcome) {
      void message.error(t('app.unexpectedError'));
    } else if (outcome.__typename === 'ValidationErrors') {
      void message.error(outcome.errors.map((e: FieldError) => errorText(e, t, locale)).join(' '));
    } else {
      void message.success(to === 'suspend' ? t('tenants.suspended') : t('tenants.resumed'));
      onChanged();
    }
  };

  const suspended = tenant.status === 'SUSPENDED';
  return (
    <Card
      title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{tenant.name}</Typography.Title>}
      extra={<StatusTag tone={suspended ? 'warn' : 'ok'}>{t(`status.${tenant.status}`)}</StatusTag>}
    >
      <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('common.code')}>{tenant.code}</Descriptions.Item>
        <Descriptions.Item label={t('common.kind')}>{t(`kind.${tenant.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('common.division')}>{tenant.divisionCode ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('tenants.parent')}>{tenant.parent?.code ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(tenant.createdAt)}</Descriptions.Item>
      </Descriptions>
      <Space wrap>
        {canManage && CHILD_KINDS[tenant.kind].length > 0 && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={onCreateChild}>{t('tenants.createChild')}</Button>
        )}
        {canManage && <Button onClick={onRename}>{t('common.rename')}</Button>}
        {canManage && !isActing && (
          <Popconfirm
            title={suspended ? t('tenants.resumeConfirm', { name: tenant.name }) : t('tenants.suspendConfirm', { name: tenant.name })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => {
              void changeStatus(suspended ? 'resume' : 'suspend');
            }}
          >
            <Button danger={!suspended} icon={suspended ? <PlayCircleOutlined aria-hidden /> : <PauseCircleOutlined aria-hidden />}>
              {suspended ? t('tenants.resume') : t('tenants.suspend')}
            </Button>
          </Popconfirm>
        )}
        <Button href={href('/admin/units', { tenant: tenant.code })}>{t('tenants.units')}</Button>
        <Button href={href('/admin/users', { tenant: tenant.code })}>{t('tenants.users')}</Button>
        {!isActing && (
          <Button type="link" onClick={() => { switchTenant(tenant.code); }}>{t('tenants.actAs')}</Button>
        )}
      </Space>
    </Card>
  );
}

export function TenantsPage() {
  const { t } = useI18n();
  const viewer = useViewer();
  const { message } = App.useApp();
  const [{ data, fetching, error }, refetch] = useQuery({ query: TenantTreeDocument });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(viewer.actingTenant?.code ?? null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [modal, setModal] = useState<'create' | 'rename' | null>(null);
  const [, rename] = useMutation(RenameTenantDocument);

  const tenants = useMemo(() => data?.tenants ?? [], [data]);
  const roots = useMemo(() => buildTree(tenants, (x) => x.code, (x) => x.parent?.code ?? null), [tenants]);
  const query = search.trim();
  const treeData = useMemo(() => toTreeData(roots, query), [roots, query]);
  const expandedKeys = expanded ?? roots.map((r) => r.key);
  // Searching opens the branches that hold a match; after that the person opens and closes as they like.
  const find = (text: string): void => {
    setSearch(text);
    const q = text.trim();
    if (q) setExpanded([...keysToReveal(roots, (x) => x.name.includes(q) || x.code.includes(q))]);
  };
  const current = selected ? findNode(roots, selected)?.item : undefined;
  const canManage = hasRole(viewer, 'PROVINCE_ADMIN');
  const reload = (): void => {
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('tenants.title')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('tenants.intro')}</Typography.Paragraph>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            className="tree-panel"
            title={t('tenants.tree')}
            extra={
              <Space>
                {data && <Typography.Text type="secondary">{t('tenants.count', { count: tenants.length })}</Typography.Text>}
                <Button aria-label={t('common.refresh')} title={t('common.refresh')} icon={<ReloadOutlined aria-hidden />} onClick={reload} />
              </Space>
            }
          >
            <Input.Search
              aria-label={t('tenants.search')}
              placeholder={t('tenants.search')}
              allowClear
              onChange={(e) => {
                find(e.target.value);
              }}
              style={{ marginBottom: 12 }}
            />
            {error && !data ? (
              <Result status="warning" title={t('app.networkError')} extra={<Button onClick={reload}>{t('app.retry')}</Button>} />
            ) : fetching && !data ? (
              <Skeleton active paragraph={{ rows: 8 }} />
            ) : tenants.length === 0 ? (
              <Empty description={t('common.empty')} />
            ) : (
              <Tree
                aria-label={t('tenants.tree')}
                treeData={treeData}
                expandedKeys={expandedKeys}
                onExpand={(keys) => {
                  setExpanded(keys.map(String));
                }}
                selectedKeys={selected ? [selected] : []}
                onSelect={(keys) => {
                  const key = keys[0];
                  if (key !== undefined) setSelected(String(key));
                }}
                blockNode
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          {current ? (
            <TenantDetail
              tenant={current}
              isActing={current.code === viewer.actingTenant?.code}
              canManage={canManage}
              onChanged={reload}
              onCreateChild={() => {
                setModal('create');
              }}
              onRename={() => {
                setModal('rename');
              }}
            />
          ) : (
            <Card>
              <Empty description={t('tenants.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
      {current && modal === 'create' && (
        <CreateTenantModal
            parent={current}
            onClose={() => {
              setModal(null);
            }}
            onCreated={(tenant) => {
              setModal(null);
              void message.success(t('tenants.created', { name: tenant.name }));
              setExpanded([...new Set([...expandedKeys, current.code])]);
              setSelected(tenant.code);
              reload();
            }}
          />
      )}
      {current && modal === 'rename' && (
          <RenameModal
            title={t('tenants.renameTitle')}
            formName="renameTenant"
            name={current.name}
            onClose={() => {
              setModal(null);
            }}
            save={async (name) => {
              const outcome = (await rename({ code: current.code, name })).data?.renameTenant;
              if (!outcome) return [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }];
              if (outcome.__typename === 'ValidationErrors') return outcome.errors;
              setModal(null);
              void message.success(t('common.saved'));
              reload();
              return null;
            }}
          />
      )}
    </Space>
  );
}
