import { Button, Card, Empty, List, Space, Spin, Typography } from 'antd';
import { useQuery } from 'urql';
import { stateTag } from '../../components/OrderQueueTable';
import { StatusTag } from '../../components/StatusTag';
import {
  CallerHistoryDocument, DuplicateSuggestionsDocument, KnowledgeSuggestionsDocument,
  type DuplicateProbeInput, type KnowledgeArticleFieldsFragment,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { href } from '../../router';

const panel = { size: 'small' as const, style: { marginBottom: 12 } };

/** Enough digits to be a phone number worth looking up (7: a local number). */
export function lookupPhone(phone: string | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits : null;
}

/** The caller's history in this hotline: open orders first, then the rest. */
export function CallerPanel({ phone }: { phone: string | null }) {
  const { t, formatDateTime } = useI18n();
  const [{ data, fetching }] = useQuery({ query: CallerHistoryDocument, variables: { phone: phone ?? '' }, pause: phone === null });
  const history = data?.callerHistory.__typename === 'CallerHistory' ? data.callerHistory : null;
  let body;
  if (phone === null) body = <Typography.Text type="secondary">{t('ws.callerEmpty')}</Typography.Text>;
  else if (fetching && !history) body = <Spin size="small" />;
  else if (!history || history.total === 0) body = <Typography.Text type="secondary">{t('ws.callerNew')}</Typography.Text>;
  else {
    const open = (s: string) => !['CLOSED', 'ARCHIVED', 'MERGED'].includes(s);
    const orders = [...history.orders].sort((a, b) => Number(open(b.state)) - Number(open(a.state)));
    body = (
      <>
        <StatusTag tone={history.open > 0 ? 'warn' : 'off'}>{t('ws.callerRepeat', { total: history.total, open: history.open })}</StatusTag>
        <List
          size="small" aria-label={t('ws.pastOrders')} dataSource={orders.slice(0, 8)}
          renderItem={(o) => (
            <List.Item key={o.id} extra={stateTag(t, o.state)}>
              <List.Item.Meta
                title={<a href={href('/order', { id: o.id })}>{o.number} {o.title}</a>}
                description={`${formatDateTime(o.createdAt)} · ${o.category?.name ?? o.categoryCode}`}
              />
            </List.Item>
          )}
        />
      </>
    );
  }
  return <section aria-label={t('ws.caller')}><Card {...panel} title={t('ws.caller')} aria-live="polite">{body}</Card></section>;
}

/** Orders that may be the same matter, each linked, with why it is suspected. */
export function DuplicatePanel({ probe }: { probe: DuplicateProbeInput | null }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: DuplicateSuggestionsDocument, variables: { input: probe ?? {} }, pause: probe === null });
  const suggestions = data?.duplicateSuggestions.__typename === 'DuplicateSuggestions' ? data.duplicateSuggestions.suggestions : [];
  if (probe === null) return null;
  return (
    <section aria-label={t('ws.duplicates')}><Card {...panel} title={t('ws.duplicates')} aria-live="polite">
      {suggestions.length === 0 ? <Typography.Text type="secondary">{t('ws.duplicatesEmpty')}</Typography.Text> : (
        <List
          size="small" aria-label={t('ws.duplicates')} dataSource={suggestions}
          renderItem={(s) => (
            <List.Item key={s.order.id} extra={stateTag(t, s.order.state)}>
              <Space orientation="vertical" size={2}>
                <a href={href('/order', { id: s.order.id })}>{s.order.number} {s.order.title}</a>
                <Space size={4} wrap>
                  {s.sameCaller && <StatusTag tone="warn">{t('ws.sameCaller')}</StatusTag>}
                  {s.samePlaceAndCategory && <StatusTag tone="warn">{t('ws.samePlace')}</StatusTag>}
                  {s.textSimilarity >= 0.05 && <StatusTag tone="off">{t('ws.similarity', { pct: Math.round(s.textSimilarity * 100) })}</StatusTag>}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card></section>
  );
}

/** The knowledge base's best articles for what is typed; a consultation can be answered from one. */
export function KnowledgePanel({ text, onUse, usedId }: {
  text: string;
  onUse: (article: KnowledgeArticleFieldsFragment) => void;
  usedId: string | null;
}) {
  const { t } = useI18n();
  const [{ data, fetching }] = useQuery({ query: KnowledgeSuggestionsDocument, variables: { text, first: 3 }, pause: text === '' });
  const items = data?.knowledgeSuggestions.__typename === 'KnowledgeArticleList' ? data.knowledgeSuggestions.items : [];
  let body;
  if (text === '') body = <Typography.Text type="secondary">{t('ws.knowledgeEmpty')}</Typography.Text>;
  else if (fetching && items.length === 0) body = <Spin size="small" />;
  else if (items.length === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ws.knowledgeNone')} />;
  else {
    body = (
      <List
        size="small" aria-label={t('ws.knowledge')} dataSource={items}
        renderItem={(a) => (
          <List.Item key={a.id}>
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text strong>{a.title}</Typography.Text>
              <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ marginBottom: 0 }}>{a.body}</Typography.Paragraph>
              <Space>
                <Button size="small" type={usedId === a.id ? 'primary' : 'default'} onClick={() => { onUse(a); }}>{t('ws.useAnswer')}</Button>
                <a href={href('/knowledge', { id: a.id })} target="_blank" rel="noreferrer">{t('ws.openArticle')}</a>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    );
  }
  return <section aria-label={t('ws.knowledge')}><Card {...panel} title={t('ws.knowledge')} aria-live="polite">{body}</Card></section>;
}
