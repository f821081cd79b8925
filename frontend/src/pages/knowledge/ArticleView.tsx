import { Alert, Button, Descriptions, Drawer, Input, List, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { StatusTag, type Tone } from '../../components/StatusTag';
import {
  KnowledgeArticleDocument, KnowledgeVersionsDocument, PublishKnowledgeArticleDocument, RetireKnowledgeArticleDocument,
  SendBackKnowledgeArticleDocument, SubmitKnowledgeArticleDocument, type KnowledgeArticleFieldsFragment, type KnowledgeStatus,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { useOwnUnits } from './units';

export const STATUS_TONE: Record<KnowledgeStatus, Tone> = { DRAFT: 'off', REVIEW: 'warn', PUBLISHED: 'ok', RETIRED: 'off' };

type Article = KnowledgeArticleFieldsFragment;

/** The review flow of one article for its editors: draft → review → published (or sent back), retire. */
function ReviewActions({ article, onChanged, onEdit }: { article: Article; onChanged: () => void; onEdit: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [, submit] = useMutation(SubmitKnowledgeArticleDocument);
  const [, publish] = useMutation(PublishKnowledgeArticleDocument);
  const [, sendBack] = useMutation(SendBackKnowledgeArticleDocument);
  const [, retire] = useMutation(RetireKnowledgeArticleDocument);
  const run = async (action: () => Promise<{ data?: Record<string, { __typename: string; errors?: { message: string }[] }> }>) => {
    setProblem(null);
    const result = await action();
    const payload = Object.values(result.data ?? {})[0];
    if (payload?.__typename === 'ValidationErrors') setProblem(payload.errors?.map((e) => e.message).join('；') ?? '');
    else onChanged();
  };
  const underReview = article.status === 'REVIEW' || article.latestVersion > article.version && article.status !== 'DRAFT';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {problem && <Alert type="error" role="alert" showIcon title={problem} />}
      <Space wrap>
        <Button onClick={onEdit}>{t('kb.edit')}</Button>
        <Button onClick={() => void run(() => submit({ id: article.id }))}>{t('kb.submit')}</Button>
        <Button type="primary" onClick={() => void run(() => publish({ id: article.id }))}>{t('kb.publish')}</Button>
        {article.status === 'PUBLISHED' && <Button danger onClick={() => void run(() => retire({ id: article.id }))}>{t('kb.retire')}</Button>}
      </Space>
      {underReview && (
        <Space.Compact style={{ width: '100%' }}>
          <Input aria-label={t('kb.sendBackNote')} placeholder={t('kb.sendBackNote')} value={note} onChange={(e) => { setNote(e.target.value); }} />
          <Button onClick={() => void run(() => sendBack({ id: article.id, note }))}>{t('kb.sendBack')}</Button>
        </Space.Compact>
      )}
    </Space>
  );
}

/** One article: its text, where it applies, the local supplement, its use; for editors the versions and the flow. */
export function ArticleView({ id, onClose, onEdit, onChanged }: {
  id: string | null;
  onClose: () => void;
  onEdit: (article: Article) => void;
  onChanged: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [{ data, fetching }, reload] = useQuery({ query: KnowledgeArticleDocument, variables: { id: id ?? '' }, pause: id === null, requestPolicy: 'network-only' });
  const article = data?.knowledgeArticle.__typename === 'KnowledgeArticle' ? data.knowledgeArticle : null;
  const units = useOwnUnits();
  const editable = article?.editable ?? false;
  const [{ data: versionData }, reloadVersions] = useQuery({ query: KnowledgeVersionsDocument, variables: { articleId: id ?? '' }, pause: id === null || !editable });
  const versions = versionData?.knowledgeVersions.__typename === 'KnowledgeVersionList' ? versionData.knowledgeVersions.items : [];
  const changed = () => {
    reload({ requestPolicy: 'network-only' });
    reloadVersions({ requestPolicy: 'network-only' });
    onChanged();
  };
  return (
    <Drawer open={id !== null} onClose={onClose} size="large" title={article?.title ?? t('kb.article')} destroyOnHidden>
      {fetching && !article && <Spin />}
      {data?.knowledgeArticle.__typename === 'ValidationErrors' && <Alert type="error" role="alert" title={t('error.not_found')} />}
      {article && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <StatusTag tone={STATUS_TONE[article.status]}>{t(`kb.status.${article.status}`)}</StatusTag>
            <StatusTag tone="off">{t(`kb.kind.${article.kind}`)}</StatusTag>
            {article.inherited && <StatusTag tone="warn">{t('kb.inherited')}</StatusTag>}
            {article.hiddenHere && <StatusTag tone="bad">{t('kb.hiddenHere')}</StatusTag>}
          </Space>
          {article.question && <Typography.Paragraph strong>{article.question}</Typography.Paragraph>}
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{article.body}</Typography.Paragraph>
          {article.supplements.map((s) => (
            <Alert
              key={s.tenantId} type="info" title={t('kb.supplement')}
              description={[s.supplement, s.localOffice, s.localPhone].filter(Boolean).join(' · ')}
            />
          ))}
          <Descriptions size="small" column={1} bordered items={[
            { key: 'v', label: t('kb.version'), children: `${article.version}${article.latestVersion > article.version ? ` (${t('kb.latest', { n: article.latestVersion })})` : ''}` },
            { key: 'p', label: t('kb.publishedAt'), children: article.publishedAt ? formatDateTime(article.publishedAt) : t('common.none') },
            { key: 'e', label: t('kb.valid'), children: `${article.effectiveFrom ?? '…'} – ${article.expiresOn ?? '…'}` },
            { key: 'c', label: t('kb.categories'), children: article.categoryCodes.join('、') || t('common.none') },
            { key: 'd', label: t('common.division'), children: article.divisionCode ?? t('common.none') },
            { key: 's', label: t('kb.source'), children: article.sourceDocument ?? t('common.none') },
            { key: 'o', label: t('kb.ownerUnit'), children: (article.ownerUnitId && !article.inherited ? units.byId.get(article.ownerUnitId)?.name : undefined) ?? t('common.none') },
            { key: 'u', label: t('kb.usage'), children: t('kb.usageText', { direct: article.usage.directAnswers, helpful: article.usage.helpful, unhelpful: article.usage.unhelpful }) },
          ]} />
          {editable && <ReviewActions article={article} onChanged={changed} onEdit={() => { onEdit(article); }} />}
          {editable && (
            <List
              size="small" header={<strong>{t('kb.versions')}</strong>} dataSource={versions}
              renderItem={(v) => (
                <List.Item key={v.version} extra={t(`kb.vstatus.${v.status}`)}>
                  <List.Item.Meta
                    title={`v${v.version} ${v.title}`}
                    description={`${formatDateTime(v.updatedAt)} · ${v.updatedBy}${v.reviewNote ? ` · ${t('kb.reviewNote')}：${v.reviewNote}` : ''}${
                      v.publishedAt ? ` · ${t('kb.inForce', { from: formatDateTime(v.publishedAt), to: v.endedAt ? formatDateTime(v.endedAt) : '…' })}` : ''}`}
                  />
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}
