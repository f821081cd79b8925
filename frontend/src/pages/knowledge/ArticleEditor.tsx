import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { showFormErrors } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import { UnitPicker } from '../../components/UnitPicker';
import {
  CreateKnowledgeArticleDocument, UpdateKnowledgeArticleDocument, type KnowledgeArticleFieldsFragment,
  type KnowledgeArticleInput, type KnowledgeKind, type ShareScope,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { useOwnUnits } from './units';

const KINDS: KnowledgeKind[] = ['QA', 'POLICY', 'STANDARD'];
const SCOPES: ShareScope[] = ['OWN', 'SUBTREE', 'PUBLIC'];
const FIELDS = ['kind', 'title', 'question', 'body', 'categoryCodes', 'tags', 'expiresOn', 'effectiveFrom', 'shareScope', 'sourceDocument', 'ownerUnitCode'];

interface Values {
  kind: KnowledgeKind;
  title?: string;
  question?: string;
  body?: string;
  categoryCodes?: string[];
  tags?: string[];
  effectiveFrom?: string;
  expiresOn?: string;
  sourceDocument?: string;
  shareScope: ShareScope;
  ownerUnitCode?: string;
}

const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/** A new article, or a new draft version of one (the published text stays until the draft is published). */
/** Mounted afresh for each article (the parent gives it a key), so the form starts from that article. */
export function ArticleEditor({ article, onClose, onSaved }: {
  article: KnowledgeArticleFieldsFragment | null;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching: creating }, create] = useMutation(CreateKnowledgeArticleDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateKnowledgeArticleDocument);
  const initial: Values = article ? {
    kind: article.kind, title: article.title, question: article.question ?? undefined, body: article.body,
    categoryCodes: article.categoryCodes, tags: article.tags, effectiveFrom: article.effectiveFrom ?? undefined,
    expiresOn: article.expiresOn ?? undefined, sourceDocument: article.sourceDocument ?? undefined, shareScope: article.shareScope,
  } : { kind: 'QA', shareScope: 'OWN' };
  const units = useOwnUnits();
  const currentUnit = article?.ownerUnitId ? units.byId.get(article.ownerUnitId)?.code : undefined;
  useEffect(() => {
    // The article names its unit by id; the picker shows codes once the units have loaded.
    if (currentUnit && !form.isFieldTouched('ownerUnitCode')) form.setFieldsValue({ ownerUnitCode: currentUnit });
  }, [currentUnit, form]);

  const save = async (v: Values) => {
    const input: KnowledgeArticleInput = {
      kind: v.kind, title: v.title?.trim() ?? '', body: v.body?.trim() ?? '', question: orNull(v.question),
      categoryCodes: v.categoryCodes ?? [], tags: v.tags ?? [], effectiveFrom: orNull(v.effectiveFrom),
      expiresOn: orNull(v.expiresOn), sourceDocument: orNull(v.sourceDocument), shareScope: v.shareScope,
      // Cleared: "" removes the unit; null keeps it (or, on a new article, takes the editor's own unit).
      ownerUnitCode: v.ownerUnitCode ?? (article && units.loaded ? '' : null),
    };
    const result = article ? await update({ id: article.id, input }) : await create({ input });
    const payload = result.data ? Object.values(result.data)[0] : undefined;
    if (!payload) {
      setProblems([result.error?.message ?? t('common.notAllowed')]);
    } else if (payload.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, payload.errors, FIELDS, t, locale));
    } else {
      onSaved(payload.id);
    }
  };

  return (
    <Modal
      open title={article ? t('kb.editTitle') : t('kb.new')} onCancel={onClose} width={720}
      okText={t('kb.saveDraft')} onOk={() => { form.submit(); }} confirmLoading={creating || updating} destroyOnHidden
    >
      <FormProblems problems={problems} />
      <Form<Values> form={form} name="article" layout="vertical" initialValues={initial} onFinish={(v) => void save(v)}>
        <Form.Item name="kind" label={t('kb.kindLabel')}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`kb.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('kb.titleLabel')} rules={[{ required: true, message: t('kb.required') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="question" label={t('kb.question')}>
          <Input />
        </Form.Item>
        <Form.Item name="body" label={t('kb.body')} rules={[{ required: true, message: t('kb.required') }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
        </Form.Item>
        <Form.Item name="categoryCodes" label={t('kb.categories')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item name="tags" label={t('kb.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('kb.effectiveFrom')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="expiresOn" label={t('kb.expiresOn')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="ownerUnitCode" label={t('kb.ownerUnit')} extra={t('kb.ownerUnitHelp')}>
          <UnitPicker />
        </Form.Item>
        <Form.Item name="sourceDocument" label={t('kb.source')}>
          <Input />
        </Form.Item>
        <Form.Item name="shareScope" label={t('kb.shareScope')}>
          <Select options={SCOPES.map((s) => ({ value: s, label: t(`kb.scope.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
