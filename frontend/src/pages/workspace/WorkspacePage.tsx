import {
  Alert, App, Button, Card, Cascader, Checkbox, Col, Form, Input, Row, Select, Space, Typography,
} from 'antd';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { showFormErrors } from '../../api/errors';
import { DivisionCascader } from '../../components/DivisionCascader';
import { FormProblems } from '../../components/FormProblems';
import { OrderQueueTable } from '../../components/OrderQueueTable';
import {
  ClassifierSuggestionsDocument, CreateWorkOrderDocument, IntakeCategoriesDocument, RecordKnowledgeDirectAnswerDocument,
  type Channel, type CreateWorkOrderMutation, type KnowledgeArticleFieldsFragment, type RequestType,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { href } from '../../router';
import { useViewer } from '../../session';
import { categoryOptions, categoryPath, intakeInput, type IntakeValues, type TaxonomyItem } from './intake';
import { CallerPanel, DuplicatePanel, KnowledgePanel, lookupPhone } from './SidePanels';
import { useDebounced } from './useDebounced';

const CHANNELS: Channel[] = ['PHONE', 'SMS', 'WEB', 'MAILBOX', 'WECHAT', 'WEIBO', 'APP', 'MESSAGE_BOARD'];
const TYPES: RequestType[] = ['CONSULTATION', 'HELP', 'COMPLAINT', 'REPORT', 'SUGGESTION', 'PRAISE'];
const LEVELS = [4, 3, 2, 1];
const FIELDS = [
  'phone', 'channel', 'requestType', 'title', 'content', 'categoryCode', 'divisionCode', 'address', 'responseLevel',
  'creditCode', 'directAnswer',
];
const INITIAL: Partial<IntakeValues> = { channel: 'PHONE', responseLevel: 4, confidential: false };
const DEBOUNCE_MS = 350;

type Saved = Extract<CreateWorkOrderMutation['createWorkOrder'], { __typename: 'WorkOrder' }>;

/** What became of the order just recorded: its number, and where it went. */
function SavedResult({ order }: { order: Saved }) {
  const { t } = useI18n();
  const leads = order.assignments.filter((a) => a.role === 'LEAD');
  const units = (leads.length > 0 ? leads : order.assignments).map((a) => a.unit.name).join('、');
  let where = t('ws.resultWaiting');
  if (order.directAnswer) where = t('ws.resultAnswered');
  else if (units) where = t('ws.resultDispatched', { units });
  return (
    <Alert
      type="success" showIcon role="status" style={{ marginBottom: 12 }}
      title={<Space wrap><span>{t('ws.saved', { number: order.number })}</span><strong>{where}</strong></Space>}
      action={<a href={href('/order', { id: order.id })}>{t('ws.openOrder')}</a>}
    />
  );
}

/** The classifier's top 3 for the typed text; a click or Alt+1/2/3 takes one. */
function Suggestions({ text, onTake }: { text: string; onTake: (code: string) => void }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: ClassifierSuggestionsDocument, variables: { text }, pause: text === '' });
  const result = data?.classifierSuggestions.__typename === 'ClassifierSuggestions' ? data.classifierSuggestions : null;
  if (!result || text === '') return null;
  if (!result.trained) return <Typography.Text type="secondary">{t('ws.suggestionsUntrained')}</Typography.Text>;
  return (
    <Space wrap size={4} aria-label={t('ws.suggested')} role="group">
      <Typography.Text type="secondary">{t('ws.suggested')}</Typography.Text>
      {result.categories.slice(0, 3).map((c, i) => (
        <Button
          key={c.code} size="small" data-suggestion={i + 1} aria-keyshortcuts={`Alt+${i + 1}`}
          aria-label={t('ws.takeSuggestion', { n: i + 1, name: c.name ?? c.code })}
          onClick={() => { onTake(c.code); }}
        >
          {i + 1}. {c.name ?? c.code} {Math.round(c.probability * 100)}%
        </Button>
      ))}
    </Space>
  );
}

export function WorkspacePage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const viewer = useViewer();
  const [form] = Form.useForm<IntakeValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [article, setArticle] = useState<KnowledgeArticleFieldsFragment | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [{ fetching: saving }, create] = useMutation(CreateWorkOrderDocument);
  const [, recordAnswer] = useMutation(RecordKnowledgeDirectAnswerDocument);
  const [{ data: taxonomyData }] = useQuery({ query: IntakeCategoriesDocument, variables: {} });
  const taxonomy: readonly TaxonomyItem[] = useMemo(() => taxonomyData?.dispatchTaxonomy ?? [], [taxonomyData]);
  const options = useMemo(() => categoryOptions(taxonomy), [taxonomy]);
  const enterpriseLine = viewer.actingTenant?.kind === 'ENTERPRISE_LINE';

  const phone = useDebounced(lookupPhone(Form.useWatch('phone', form)), DEBOUNCE_MS);
  const title = Form.useWatch('title', form) ?? '';
  const content = Form.useWatch('content', form) ?? '';
  const requestType = Form.useWatch('requestType', form);
  const categoryValue = Form.useWatch('categoryCode', form);
  const divisionValue = Form.useWatch('divisionCode', form);
  const typed = useDebounced(`${title} ${content}`.trim(), DEBOUNCE_MS);
  const probe = useDebounced(useMemo(() => {
    const categoryCode = categoryValue?.[categoryValue.length - 1] ?? null;
    const divisionCode = divisionValue?.[divisionValue.length - 1] ?? null;
    if (!phone && typed.length < 4 && !categoryCode) return null;
    return { phone, divisionCode, categoryCode, title: title.trim(), content: content.trim() };
  }, [phone, typed, categoryValue, divisionValue, title, content]), DEBOUNCE_MS);

  const takeCategory = (code: string) => {
    const path = categoryPath(taxonomy, code);
    if (path.length > 0) form.setFieldsValue({ categoryCode: path });
  };

  const useArticle = (a: KnowledgeArticleFieldsFragment) => {
    setArticle(a);
    form.setFieldsValue({ requestType: 'CONSULTATION', directAnswer: a.body, title: (form.getFieldValue('title') as string | undefined) || a.title });
  };

  const submit = async (values: IntakeValues) => {
    setProblems([]);
    const result = await create({ input: intakeInput(values, enterpriseLine) });
    const payload = result.data?.createWorkOrder;
    if (!payload) {
      setProblems([result.error?.message ?? t('common.notAllowed')]);
      return;
    }
    if (payload.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, payload.errors, FIELDS, t, locale));
      return;
    }
    if (article && payload.directAnswer) {
      const used = await recordAnswer({ orderId: payload.id, articleId: article.id });
      if (used.data?.recordKnowledgeDirectAnswer.__typename === 'KnowledgeUse') void message.success(t('ws.knowledgeRecorded'));
    }
    setSaved(payload);
    setArticle(null);
    void message.success(t('ws.saved', { number: payload.number }));
    form.resetFields();
    form.focusField('phone');
    setRefresh((n) => n + 1);
  };

  // Ctrl+Enter submits from the multi-line fields; Alt+1/2/3 takes a suggested category.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.submit();
    } else if (event.altKey && ['1', '2', '3'].includes(event.key)) {
      const button = event.currentTarget.querySelector<HTMLButtonElement>(`button[data-suggestion="${event.key}"]`);
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  };

  const required = (field: string) => [{ required: true, message: t('ws.required', { field }) }];

  return (
    <>
      <Typography.Title level={2} style={{ marginTop: 0 }}>{t('ws.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('ws.intro')}</Typography.Paragraph>
      {saved && <SavedResult order={saved} />}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('ws.newOrder')} style={{ marginBottom: 12 }}>
            <FormProblems problems={problems} />
            <Form<IntakeValues>
              form={form} name="intake" layout="vertical" initialValues={INITIAL} requiredMark={false}
              onFinish={(v) => { void submit(v); }} onKeyDown={onKeyDown}
            >
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="phone" label={t('ws.phone')}>
                    <Input autoFocus inputMode="tel" autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="callerName" label={t('ws.callerName')}>
                    <Input autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="confidential" valuePropName="checked" label=" ">
                    <Checkbox>{t('ws.confidential')}</Checkbox>
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="channel" label={t('ws.channel')} rules={required(t('ws.channel'))}>
                    <Select showSearch={{ optionFilterProp: 'label' }} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="requestType" label={t('ws.requestType')} rules={required(t('ws.requestType'))}>
                    <Select showSearch={{ optionFilterProp: 'label' }} options={TYPES.map((c) => ({ value: c, label: t(`requestType.${c}`) }))} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="responseLevel" label={t('ws.responseLevel')}>
                    <Select showSearch={{ optionFilterProp: 'label' }} options={LEVELS.map((l) => ({ value: l, label: t(`responseLevel.${l}` as 'responseLevel.1') }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="title" label={t('ws.orderTitle')} rules={required(t('ws.orderTitle'))}>
                <Input autoComplete="off" maxLength={200} />
              </Form.Item>
              <Form.Item name="content" label={t('ws.content')} rules={required(t('ws.content'))}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
              </Form.Item>
              <Form.Item
                name="categoryCode" label={t('ws.category')} rules={required(t('ws.category'))}
                extra={<Suggestions text={typed} onTake={takeCategory} />}
              >
                <Cascader
                  options={options} placeholder={t('ws.categoryPlaceholder')}
                  showSearch={{ filter: (input, path) => path.some((o) => o.label.includes(input)) }}
                  style={{ width: '100%' }}
                />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="divisionCode" label={t('ws.place')}>
                    <DivisionCascader rootCode={viewer.actingTenant?.divisionCode ?? null} leafLevel="street" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="address" label={t('ws.address')}>
                    <Input autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              {enterpriseLine && (
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item name="enterpriseName" label={t('ws.enterprise')}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="creditCode" label={t('ws.creditCode')}>
                      <Input autoComplete="off" maxLength={18} />
                    </Form.Item>
                  </Col>
                </Row>
              )}
              {requestType === 'CONSULTATION' && (
                <Form.Item
                  name="directAnswer" label={t('ws.directAnswer')}
                  extra={article ? t('ws.answeredFrom', { title: article.title }) : t('ws.directAnswerHint')}
                >
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} onChange={(e) => { if (!e.target.value) setArticle(null); }} />
                </Form.Item>
              )}
              <Space>
                <Button type="primary" htmlType="submit" loading={saving}>{t('ws.submit')}</Button>
                <Button onClick={() => { form.resetFields(); setArticle(null); setProblems([]); }}>{t('ws.reset')}</Button>
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <CallerPanel phone={phone} />
          <DuplicatePanel probe={probe} />
          <KnowledgePanel text={typed} onUse={useArticle} usedId={article?.id ?? null} />
        </Col>
      </Row>
      <Typography.Title level={3} style={{ fontSize: 16 }}>{t('ws.todayIntake')}</Typography.Title>
      <OrderQueueTable queue="TODAY_INTAKE" label={t('ws.todayIntake')} refreshKey={refresh} controls={['text']} pageSize={10} />
    </>
  );
}
