import { App, Button, Empty, Form, Input, Modal, Select, Space, Spin, Switch, Tree, Typography } from 'antd';
import { useCallback, useState, type ReactNode } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { showFormErrors } from '../../../api/errors';
import { FormProblems } from '../../../components/FormProblems';
import { StatusTag } from '../../../components/StatusTag';
import {
  DispatchTaxonomyDocument, SaveDispatchCategoryDocument, type DispatchTaxonomyQuery,
} from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import { SourceTag, failure } from './shared';

type Category = DispatchTaxonomyQuery['dispatchTaxonomy'][number];
interface Node { key: string; title: ReactNode; isLeaf: boolean; children?: Node[] }

interface CategoryValues {
  code: string;
  parentCode?: string;
  name?: string;
  hidden: boolean;
  keywords: string[];
  synonyms: string[];
  reason: string;
}

/** The effective taxonomy, one level at a time (it is large): rename, hide, keywords, local subcategories. */
export function TaxonomyTab({ tenantCode, onChanged }: { tenantCode: string; onChanged: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const { message } = App.useApp();
  const [byParent, setByParent] = useState<Map<string, Category[]>>(new Map());
  const [top, refetchTop] = useQuery({ query: DispatchTaxonomyDocument, variables: { tenantCode, parentCode: null, includeHidden: true }, requestPolicy: 'network-only' });
  const [editing, setEditing] = useState<{ values: Partial<CategoryValues>; isNew: boolean } | null>(null);

  const load = useCallback(async (parentCode: string): Promise<void> => {
    const result = await client.query(DispatchTaxonomyDocument, { tenantCode, parentCode, includeHidden: true }, { requestPolicy: 'network-only' }).toPromise();
    const list = result.data?.dispatchTaxonomy ?? [];
    setByParent((m) => new Map(m).set(parentCode, list));
  }, [client, tenantCode]);

  const reloadOpen = async (): Promise<void> => {
    refetchTop({ requestPolicy: 'network-only' });
    await Promise.all([...byParent.keys()].map((k) => load(k)));
  };

  const title = (c: Category): ReactNode => (
    <span data-category={c.code}>
      <Typography.Text delete={c.hidden}>{c.name}</Typography.Text>{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.code}</Typography.Text>{' '}
      {c.nationalName && c.nationalName !== c.name && <Typography.Text type="secondary" style={{ fontSize: 12 }}>（{t('config.nationalName')}：{c.nationalName}）</Typography.Text>}
      {c.local && <StatusTag tone="ok">{t('config.localCategory')}</StatusTag>}{' '}
      {c.hidden && <StatusTag tone="off">{t('config.hidden')}</StatusTag>}{' '}
      {c.source && <SourceTag source={c.source} />}{' '}
      {c.keywords.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('config.keywords')}：{c.keywords.join('、')}</Typography.Text>}{' '}
      <Button type="link" size="small" onClick={(e) => { e.stopPropagation(); setEditing({ isNew: false, values: { code: c.code, name: c.name, hidden: c.hidden, keywords: c.keywords, synonyms: c.synonyms } }); }}>
        {t('config.edit')}
      </Button>
      <Button type="link" size="small" onClick={(e) => { e.stopPropagation(); setEditing({ isNew: true, values: { parentCode: c.code, code: c.code, hidden: false, keywords: [], synonyms: [] } }); }}>
        {t('config.addSubcategory')}
      </Button>
    </span>
  );
  const build = (list: readonly Category[]): Node[] => list.map((c) => ({
    key: c.code, title: title(c), isLeaf: false,
    children: byParent.has(c.code) ? build(byParent.get(c.code) ?? []) : undefined,
  }));

  if (!top.data) return <Spin />;
  const roots = build(top.data.dispatchTaxonomy);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('config.taxonomyHint')}</Typography.Text>
      {roots.length === 0 ? <Empty /> : (
        <Tree<Node> treeData={roots} blockNode selectable={false}
          loadData={async (node) => { if (!byParent.has(node.key)) await load(node.key); }} />
      )}
      {editing && (
        <CategoryModal tenantCode={tenantCode} initial={editing.values} isNew={editing.isNew} onClose={() => { setEditing(null); }}
          onSaved={() => { setEditing(null); void message.success(t('config.savedToDraft')); void reloadOpen(); onChanged(); }} />
      )}
    </Space>
  );
}

function CategoryModal({ tenantCode, initial, isNew, onClose, onSaved }: {
  tenantCode: string;
  initial: Partial<CategoryValues>;
  isNew: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<CategoryValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, save] = useMutation(SaveDispatchCategoryDocument);
  const submit = async (v: CategoryValues): Promise<void> => {
    const outcome = (await save({
      input: {
        tenantCode, code: v.code.trim(), parentCode: isNew ? initial.parentCode ?? null : null, name: v.name?.trim() || null,
        hidden: v.hidden, keywords: v.keywords, synonyms: v.synonyms, reason: v.reason,
      },
    })).data?.saveDispatchCategory;
    const errors = failure(outcome, t('app.unexpectedError'));
    if (!errors) onSaved();
    else setProblems(showFormErrors(form, errors, ['code', 'parentCode', 'name', 'hidden', 'keywords', 'synonyms', 'reason'], t, locale));
  };
  return (
    <Modal open title={isNew ? t('config.addSubcategory') : t('config.editCategory', { code: initial.code ?? '' })}
      okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={fetching} onOk={() => { form.submit(); }} onCancel={onClose}>
      <FormProblems problems={problems} />
      <Form<CategoryValues> form={form} layout="vertical" name="dispatchCategory" initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item label={t('common.code')} name="code" extra={isNew ? t('config.subcategoryCodeHint', { parent: initial.parentCode ?? '' }) : undefined}
          rules={[{ required: true, message: t('error.required') }]}>
          <Input autoComplete="off" disabled={!isNew} />
        </Form.Item>
        <Form.Item label={t('common.name')} name="name"><Input autoComplete="off" maxLength={60} /></Form.Item>
        <Form.Item label={t('config.hidden')} name="hidden" valuePropName="checked"><Switch /></Form.Item>
        <Form.Item label={t('config.keywords')} name="keywords">
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item label={t('config.synonyms')} name="synonyms">
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item label={t('config.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
