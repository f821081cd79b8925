import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Result, Row, Select, Skeleton, Space,
  Tree, TreeSelect, Typography,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, showFormErrors, type FieldError } from '../../api/errors';
import { DivisionCascader } from '../../components/DivisionCascader';
import { FormProblems } from '../../components/FormProblems';
import { RenameModal } from '../../components/RenameModal';
import { StatusTag } from '../../components/StatusTag';
import { TenantPicker } from '../../components/TenantPicker';
import {
  CreateUnitDocument, TenantUnitsDocument, UpdateUnitDocument, type UnitFieldsFragment, type UnitKind,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { treeOptions } from '../../lib/options';
import { buildTree, findNode, keysToReveal, subtreeKeys, type TreeNode } from '../../lib/tree';
import { useRoute } from '../../router';
import { useViewer } from '../../session';

type Unit = UnitFieldsFragment;

export const UNIT_KINDS: UnitKind[] = [
  'HOTLINE_OFFICE', 'DISTRICT', 'DEPARTMENT', 'SECTION', 'STREET', 'TOWNSHIP', 'COMMUNITY', 'VILLAGE', 'COMPANY',
];
const TOP = '__top__';

function UnitTitle({ unit, highlight }: { unit: Unit; highlight: string }) {
  const { t } = useI18n();
  const hit = highlight !== '' && (unit.name.includes(highlight) || unit.code.includes(highlight));
  return (
    <span className={unit.active ? undefined : 'inactive-node'} data-code={unit.code}>
      <span style={hit ? { background: '#ffe58f' } : undefined}>{unit.name}</span>{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`unitKind.${unit.kind}`)}</Typography.Text>
      {!unit.active && <> <StatusTag tone="off">{t('units.inactive')}</StatusTag></>}
    </span>
  );
}

interface TreeData {
  key: string;
  title: ReactNode;
  children: TreeData[];
}

function toTreeData(nodes: TreeNode<Unit>[], highlight: string): TreeData[] {
  return nodes.map((n) => ({ key: n.key, title: <UnitTitle unit={n.item} highlight={highlight} />, children: toTreeData(n.children, highlight) }));
}

interface CreateValues {
  parentCode?: string;
  code: string;
  name: string;
  kind: UnitKind;
  divisionCode?: string[];
}

function CreateUnitModal({ tenantCode, tenantDivision, roots, parentCode, onClose, onCreated }: {
  tenantCode: string;
  tenantDivision: string | null;
  roots: TreeNode<Unit>[];
  parentCode: string | null;
  onClose: () => void;
  onCreated: (unit: Unit) => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<CreateValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, create] = useMutation(CreateUnitDocument);
  const options = useMemo(() => treeOptions(roots), [roots]);

  const submit = async (values: CreateValues): Promise<void> => {
    const result = await create({
      input: {
        tenantCode,
        parentCode: values.parentCode ?? null,
        code: values.code.trim(),
        name: values.name.trim(),
        kind: values.kind,
        divisionCode: values.divisionCode?.[values.divisionCode.length - 1] ?? null,
      },
    });
    const outcome = result.data?.createUnit;
    if (!outcome) setProblems([t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, outcome.errors, ['parentCode', 'code', 'name', 'kind', 'divisionCode'], t, locale));
    } else onCreated(outcome);
  };

  return (
    <Modal
      open
      title={t('units.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form<CreateValues> form={form} name="createUnit" layout="vertical" initialValues={{ parentCode: parentCode ?? undefined }} onFinish={(v) => void submit(v)}>
        <Form.Item label={t('units.parent')} name="parentCode">
          <TreeSelect
            treeData={options}
            fieldNames={{ label: 'title', value: 'value', children: 'children' }}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={t('units.topLevel')}
          />
        </Form.Item>
        <Form.Item label={t('common.kind')} name="kind" rules={[{ required: true, message: t('error.required') }]}>
          <Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
        </Form.Item>
        <Form.Item label={t('common.division')} name="divisionCode">
          <DivisionCascader
            rootCode={tenantDivision}
            leafLevel="street"
            placeholder={t('tenants.divisionPlaceholder')}
            onChange={(path, names) => {
              const code = path[path.length - 1];
              const name = names[names.length - 1];
              if (code && !form.getFieldValue('code')) form.setFieldValue('code', code);
              if (name && !form.getFieldValue('name')) form.setFieldValue('name', name);
            }}
          />
        </Form.Item>
        <Form.Item label={t('common.code')} name="code" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={40} />
        </Form.Item>
        <Form.Item label={t('common.name')} name="name" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={120} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MoveUnitModal({ unit, node, roots, onClose, save }: {
  unit: Unit;
  node: TreeNode<Unit>;
  roots: TreeNode<Unit>[];
  onClose: () => void;
  save: (parentCode: string) => Promise<readonly FieldError[] | null>;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ parentCode: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const options = useMemo(
    () => [{ value: TOP, title: t('units.topLevel'), children: [] }, ...treeOptions(roots, subtreeKeys(node))],
    [roots, node, t],
  );

  const submit = async ({ parentCode }: { parentCode: string }): Promise<void> => {
    setSaving(true);
    const errors = await save(parentCode === TOP ? '' : parentCode);
    setSaving(false);
    if (errors) setProblems(showFormErrors(form, errors, ['parentCode'], t, locale));
  };

  return (
    <Modal
      open
      title={t('units.moveTitle', { name: unit.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form form={form} name="moveUnit" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('units.newParent')} name="parentCode" rules={[{ required: true, message: t('error.required') }]}>
          <TreeSelect
            treeData={options}
            fieldNames={{ label: 'title', value: 'value', children: 'children' }}
            showSearch={{ treeNodeFilterProp: 'title' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function UnitsPage() {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const { message } = App.useApp();
  const [route, navigate] = useRoute();
  const tenantCode = route.params.get('tenant') ?? viewer.actingTenant?.code ?? '';
  const [{ data, fetching, error }, refetch] = useQuery({ query: TenantUnitsDocument, variables: { tenantCode }, pause: !tenantCode });
  const [, update] = useMutation(UpdateUnitDocument);
  const [search, setSearch] = useState('');
  // Selection and expansion belong to one tenant's tree; choosing another tenant starts afresh.
  const [selection, setSelection] = useState<{ tenant: string; code: string } | null>(null);
  const [expansion, setExpansion] = useState<{ tenant: string; keys: string[] } | null>(null);
  const [modal, setModal] = useState<'createTop' | 'createChild' | 'rename' | 'move' | null>(null);
  const selected = selection?.tenant === tenantCode ? selection.code : null;
  const expanded = expansion?.tenant === tenantCode ? expansion.keys : null;
  const setSelected = (code: string): void => {
    setSelection({ tenant: tenantCode, code });
  };
  const setExpanded = (keys: string[]): void => {
    setExpansion({ tenant: tenantCode, keys });
  };

  const tenant = data?.tenant ?? null;
  const units = useMemo(() => tenant?.units ?? [], [tenant]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  // Keys are unit codes (unique within a tenant); parents are found through parentId.
  const roots = useMemo(
    () => buildTree(units, (u) => u.code, (u) => (u.parentId ? byId.get(u.parentId)?.code ?? null : null)),
    [units, byId],
  );
  const query = search.trim();
  const treeData = useMemo(() => toTreeData(roots, query), [roots, query]);
  const expandedKeys = expanded ?? [];
  // Searching opens the branches that hold a match; after that the person opens and closes as they like.
  const find = (text: string): void => {
    setSearch(text);
    const q = text.trim();
    if (q) setExpanded([...keysToReveal(roots, (u) => u.name.includes(q) || u.code.includes(q))]);
  };
  const node = selected ? findNode(roots, selected) : undefined;
  const current = node?.item;
  const reload = (): void => {
    refetch({ requestPolicy: 'network-only' });
  };

  const change = async (
    input: { name?: string; parentCode?: string; active?: boolean },
    done: string,
  ): Promise<readonly FieldError[] | null> => {
    if (!current) return null;
    const outcome = (await update({ input: { tenantCode, code: current.code, ...input } })).data?.updateUnit;
    if (!outcome) return [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }];
    if (outcome.__typename === 'ValidationErrors') return outcome.errors;
    setModal(null);
    void message.success(done);
    reload();
    return null;
  };

  const setActive = async (active: boolean): Promise<void> => {
    const errors = await change({ active }, active ? t('units.active') : t('units.inactive'));
    if (errors) void message.error(errors.map((e) => errorText(e, t, locale)).join(' '));
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('units.title')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('units.intro')}</Typography.Paragraph>
        <Space wrap>
          <label htmlFor="units-tenant">{t('units.tenant')}</label>
          <TenantPicker
            id="units-tenant"
            label={t('units.tenant')}
            value={tenantCode}
            onChange={(code) => {
              navigate('/admin/units', { tenant: code });
            }}
          />
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            className="tree-panel"
            title={tenant ? tenant.name : t('units.title')}
            extra={
              <Space>
                {tenant && <Typography.Text type="secondary">{t('units.count', { count: units.length })}</Typography.Text>}
                <Button aria-label={t('common.refresh')} title={t('common.refresh')} icon={<ReloadOutlined aria-hidden />} onClick={reload} />
                <Button
                  type="primary"
                  icon={<PlusOutlined aria-hidden />}
                  disabled={!tenant}
                  onClick={() => {
                    setModal('createTop');
                  }}
                >
                  {t('units.createTop')}
                </Button>
              </Space>
            }
          >
            <Input.Search
              aria-label={t('units.search')}
              placeholder={t('units.search')}
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
            ) : !tenant ? (
              <Empty description={t('error.not_found')} />
            ) : units.length === 0 ? (
              <Empty description={t('common.empty')} />
            ) : (
              <Tree
                aria-label={t('units.title')}
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
            <Card
              title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{current.name}</Typography.Title>}
              extra={<StatusTag tone={current.active ? 'ok' : 'off'}>{current.active ? t('units.active') : t('units.inactive')}</StatusTag>}
            >
              <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
                <Descriptions.Item label={t('common.code')}>{current.code}</Descriptions.Item>
                <Descriptions.Item label={t('common.kind')}>{t(`unitKind.${current.kind}`)}</Descriptions.Item>
                <Descriptions.Item label={t('common.division')}>{current.divisionCode ?? t('common.none')}</Descriptions.Item>
                <Descriptions.Item label={t('units.parent')}>
                  {current.parentId ? byId.get(current.parentId)?.name ?? t('common.none') : t('units.topLevel')}
                </Descriptions.Item>
              </Descriptions>
              <Space wrap>
                <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => { setModal('createChild'); }}>
                  {t('units.createChild')}
                </Button>
                <Button onClick={() => { setModal('rename'); }}>{t('common.rename')}</Button>
                <Button onClick={() => { setModal('move'); }}>{t('units.move')}</Button>
                {current.active ? (
                  <Popconfirm
                    title={t('units.deactivateConfirm', { name: current.name })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => {
                      void setActive(false);
                    }}
                  >
                    <Button danger>{t('units.deactivate')}</Button>
                  </Popconfirm>
                ) : (
                  <Button
                    onClick={() => {
                      void setActive(true);
                    }}
                  >
                    {t('units.activate')}
                  </Button>
                )}
              </Space>
            </Card>
          ) : (
            <Card>
              <Empty description={t('units.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
      {tenant && (modal === 'createTop' || modal === 'createChild') && (
        <CreateUnitModal
          tenantCode={tenant.code}
          tenantDivision={tenant.divisionCode}
          roots={roots}
          parentCode={modal === 'createChild' ? current?.code ?? null : null}
          onClose={() => {
            setModal(null);
          }}
          onCreated={(unit) => {
            const parent = modal === 'createChild' ? current?.code : undefined;
            setModal(null);
            void message.success(t('units.created', { name: unit.name }));
            if (parent) setExpanded([...new Set([...expandedKeys, parent])]);
            setSelected(unit.code);
            reload();
          }}
        />
      )}
      {current && modal === 'rename' && (
          <RenameModal
            title={t('units.renameTitle')}
            formName="renameUnit"
            name={current.name}
            onClose={() => {
              setModal(null);
            }}
            save={(name) => change({ name }, t('common.saved'))}
          />
      )}
      {node && modal === 'move' && (
          <MoveUnitModal
            unit={node.item}
            node={node}
            roots={roots}
            onClose={() => {
              setModal(null);
            }}
            save={async (parentCode) => {
              const errors = await change({ parentCode }, t('units.moved'));
              if (!errors && parentCode) {
                // Keep the moved unit in sight: open its new parent and the branches above it.
                const above = keysToReveal(roots, (u) => u.code === parentCode);
                setExpanded([...new Set([...expandedKeys, ...above, parentCode])]);
              }
              return errors;
            }}
          />
      )}
    </Space>
  );
}
