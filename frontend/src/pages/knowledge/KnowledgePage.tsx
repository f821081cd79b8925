import { Button, Checkbox, Input, List, Select, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { StatusTag } from '../../components/StatusTag';
import {
  KnowledgeArticlesDocument, KnowledgeNoticesDocument, KnowledgeSearchDocument,
  type KnowledgeArticleFieldsFragment, type KnowledgeKind, type KnowledgeStatus,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { useRoute } from '../../router';
import { hasRole, useViewer } from '../../session';
import { ArticleEditor } from './ArticleEditor';
import { ArticleView, STATUS_TONE } from './ArticleView';

type Article = KnowledgeArticleFieldsFragment;
const KINDS: KnowledgeKind[] = ['QA', 'POLICY', 'STANDARD'];
const STATUSES: KnowledgeStatus[] = ['DRAFT', 'REVIEW', 'PUBLISHED', 'RETIRED'];
const PAGE = 20;

/** Full-text search in Chinese over the published articles in reach, with kind / category / expiry filters. */
function SearchTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [kinds, setKinds] = useState<KnowledgeKind[]>([]);
  const [category, setCategory] = useState('');
  const [includeExpired, setIncludeExpired] = useState(false);
  const filter = { kinds, categoryCodes: category ? [category] : [], includeExpired };
  const [{ data, fetching }] = useQuery({ query: KnowledgeSearchDocument, variables: { text, filter, first: 20 }, pause: text === '' });
  const items = data?.knowledgeSearch.__typename === 'KnowledgeArticleList' ? data.knowledgeSearch.items : [];
  return (
    <>
      <Space wrap role="search" aria-label={t('kb.search')} style={{ marginBottom: 12 }}>
        <Input.Search aria-label={t('kb.search')} placeholder={t('kb.searchPlaceholder')} style={{ width: 320 }} allowClear
          onSearch={(v) => { setText(v.trim()); }} enterButton={t('common.search')} />
        <Select<KnowledgeKind[]> mode="multiple" allowClear aria-label={t('kb.kindLabel')} placeholder={t('kb.kindLabel')} style={{ minWidth: 160 }}
          value={kinds} onChange={setKinds} options={KINDS.map((k) => ({ value: k, label: t(`kb.kind.${k}`) }))} />
        <Input aria-label={t('kb.categoryFilter')} placeholder={t('kb.categoryFilter')} style={{ width: 160 }} allowClear
          value={category} onChange={(e) => { setCategory(e.target.value.trim()); }} />
        <Checkbox checked={includeExpired} onChange={(e) => { setIncludeExpired(e.target.checked); }}>{t('kb.includeExpired')}</Checkbox>
      </Space>
      <section aria-label={t('kb.results')}>
      <List
        loading={fetching} dataSource={items}
        locale={{ emptyText: text ? t('kb.noResults') : t('kb.typeToSearch') }}
        renderItem={(a) => (
          <List.Item key={a.id} actions={[<Button key="o" type="link" onClick={() => { onOpen(a.id); }}>{t('kb.open')}</Button>]}>
            <List.Item.Meta
              title={<Space wrap>{a.title}<StatusTag tone="off">{t(`kb.kind.${a.kind}`)}</StatusTag>
                {a.inherited && <StatusTag tone="warn">{t('kb.inherited')}</StatusTag>}
                {a.supplements.length > 0 && <StatusTag tone="ok">{t('kb.hasSupplement')}</StatusTag>}</Space>}
              description={<Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>{a.body}</Typography.Paragraph>}
            />
          </List.Item>
        )}
      />
      </section>
    </>
  );
}

/** The hotline's own articles in every state, for its editors; paged on the server. */
function OwnTab({ onOpen, onNew }: { onOpen: (id: string) => void; onNew: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [status, setStatus] = useState<KnowledgeStatus | null>(null);
  const [page, setPage] = useState(1);
  const [{ data, fetching }] = useQuery({
    query: KnowledgeArticlesDocument, variables: { status, first: PAGE + 1, offset: (page - 1) * PAGE },
    requestPolicy: 'cache-and-network',
  });
  const all = data?.knowledgeArticles.__typename === 'KnowledgeArticleList' ? data.knowledgeArticles.items : [];
  const rows = all.slice(0, PAGE);
  const hasMore = all.length > PAGE;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={onNew}>{t('kb.new')}</Button>
        <Select<KnowledgeStatus> allowClear aria-label={t('common.status')} placeholder={t('common.status')} style={{ width: 140 }}
          value={status ?? undefined} onChange={(v: KnowledgeStatus | undefined) => { setStatus(v ?? null); setPage(1); }}
          options={STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))} />
      </Space>
      <Table<Article>
        size="small" rowKey="id" loading={fetching} dataSource={rows} aria-label={t('kb.own')}
        pagination={{ current: page, pageSize: PAGE, total: (page - 1) * PAGE + rows.length + (hasMore ? 1 : 0), onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'title', title: t('kb.titleLabel'), render: (_: unknown, a) => <Button type="link" style={{ padding: 0 }} onClick={() => { onOpen(a.id); }}>{a.title}</Button> },
          { key: 'kind', title: t('kb.kindLabel'), width: 90, render: (_: unknown, a) => t(`kb.kind.${a.kind}`) },
          { key: 'status', title: t('common.status'), width: 90, render: (_: unknown, a) => <StatusTag tone={STATUS_TONE[a.status]}>{t(`kb.status.${a.status}`)}</StatusTag> },
          { key: 'version', title: t('kb.version'), width: 80, render: (_: unknown, a) => `v${a.latestVersion}` },
          { key: 'expires', title: t('kb.expiresOn'), width: 110, render: (_: unknown, a) => a.expiresOn ?? t('common.none') },
          { key: 'updated', title: t('kb.updatedAt'), width: 170, render: (_: unknown, a) => formatDateTime(a.updatedAt) },
        ]}
      />
    </>
  );
}

/** Notices for the owner: articles expiring, expired, or found unhelpful. */
function NoticesTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const [{ data, fetching }] = useQuery({ query: KnowledgeNoticesDocument, variables: { unreadOnly: false } });
  const items = data?.knowledgeNotices.__typename === 'KnowledgeNoticeList' ? data.knowledgeNotices.items : [];
  return (
    <List
      loading={fetching} aria-label={t('kb.notices')} dataSource={items} locale={{ emptyText: t('kb.noNotices') }}
      renderItem={(n) => (
        <List.Item key={n.id} actions={[<Button key="o" type="link" onClick={() => { onOpen(n.articleId); }}>{t('kb.open')}</Button>]}>
          <List.Item.Meta
            title={<Space><StatusTag tone={n.kind === 'USED' ? 'ok' : n.kind === 'EXPIRING' ? 'warn' : 'bad'}>{t(`kb.notice.${n.kind}`)}</StatusTag>{n.message}</Space>}
            description={formatDateTime(n.createdAt)}
          />
        </List.Item>
      )}
    />
  );
}

export function KnowledgePage() {
  const { t } = useI18n();
  const viewer = useViewer();
  const [route, navigate] = useRoute();
  const editor = hasRole(viewer, 'TENANT_ADMIN', 'PROVINCE_ADMIN', 'POLICY_SPECIALIST');
  const [editing, setEditing] = useState<{ article: Article | null } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const openId = route.params.get('id');
  const open = (id: string) => { navigate('/knowledge', { id }); };
  const tabs = [{ key: 'search', label: t('kb.search'), children: <SearchTab onOpen={open} /> }];
  if (editor) {
    tabs.push(
      { key: 'own', label: t('kb.own'), children: <OwnTab key={refresh} onOpen={open} onNew={() => { setEditing({ article: null }); }} /> },
      { key: 'notices', label: t('kb.notices'), children: <NoticesTab onOpen={open} /> },
    );
  }
  return (
    <>
      <Typography.Title level={2} style={{ marginTop: 0 }}>{t('layout.knowledge')}</Typography.Title>
      <Tabs items={tabs} />
      <ArticleView
        id={openId} onClose={() => { navigate('/knowledge'); }}
        onEdit={(article) => { setEditing({ article }); }} onChanged={() => { setRefresh((n) => n + 1); }}
      />
      {editing && (
        <ArticleEditor
          key={editing.article?.id ?? 'new'} article={editing.article} onClose={() => { setEditing(null); }}
          onSaved={(id) => { setEditing(null); setRefresh((n) => n + 1); open(id); }}
        />
      )}
    </>
  );
}
