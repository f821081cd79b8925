import { Button, Descriptions, Divider, Drawer, List, Skeleton, Space, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { DeadlineTag } from '../../components/DeadlineTag';
import { stateTag } from '../../components/OrderQueueTable';
import { StatusTag } from '../../components/StatusTag';
import { ClassifierSuggestionsDocument, DispatchExplanationDocument, OrderDetailDocument } from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { href } from '../../router';
import { OrderActions, useActor } from './OrderActions';

/** What the dispatch rules and the classifier suggest for an order waiting for a dispatcher. */
function DispatchSuggestions({ orderId, text }: { orderId: string; text: string }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: DispatchExplanationDocument, variables: { orderId } });
  const [{ data: learned }] = useQuery({ query: ClassifierSuggestionsDocument, variables: { text } });
  const explanation = data?.dispatchExplanation.__typename === 'DispatchExplanation' ? data.dispatchExplanation : null;
  const classifier = learned?.classifierSuggestions.__typename === 'ClassifierSuggestions' ? learned.classifierSuggestions : null;
  return (
    <>
      <Divider titlePlacement="start">{t('dispatch.suggestions')}</Divider>
      {explanation && explanation.suggestions.length > 0 ? (
        <List size="small" dataSource={explanation.suggestions} renderItem={(s) => (
          <List.Item>
            <Space wrap><Tag color="blue">{s.unitCode}</Tag><span>{s.reason}</span></Space>
          </List.Item>
        )} />
      ) : (
        <Typography.Text type="secondary">{t('dispatch.noSuggestion')}</Typography.Text>
      )}
      {explanation && explanation.problems.length > 0 && (
        <ul>{explanation.problems.map((p) => <li key={p}>{p}</li>)}</ul>
      )}
      {classifier?.trained && classifier.units.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('dispatch.classifier')}：</Typography.Text>
          {classifier.units.map((u) => <Tag key={u.code}>{u.name} {(u.probability * 100).toFixed(0)}%</Tag>)}
        </div>
      )}
    </>
  );
}

/** An order beside a queue: enough to decide, and the steps to take; the full page is one click away. */
export function OrderPanel({ id, onClose, onChanged, suggest = false }: {
  id: string | null;
  onClose: () => void;
  onChanged: () => void;
  suggest?: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const [{ data, fetching }, refetch] = useQuery({ query: OrderDetailDocument, variables: { id }, pause: !id });
  const order = data?.workOrder.__typename === 'WorkOrder' ? data.workOrder : null;
  const actor = useActor(data?.me?.grants);
  const changed = (): void => {
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };
  return (
    <Drawer
      open={id !== null} onClose={onClose} size={560} destroyOnHidden
      title={order ? <Space>{order.number}{stateTag(t, order.state)}</Space> : t('app.loading')}
      extra={order && <Button href={href('/order', { id: order.id })}>{t('layout.order')}</Button>}
    >
      {fetching && !order ? <Skeleton active /> : order && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{order.title}</Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{order.content}</Typography.Paragraph>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('order.requestType')}>{t(`requestType.${order.requestType}`)} · {t(`channel.${order.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('order.category')}>{order.category?.path ?? order.categoryCode}</Descriptions.Item>
            <Descriptions.Item label={t('order.place')}>{[order.location.divisionCode, order.location.address].filter(Boolean).join(' ')}</Descriptions.Item>
            <Descriptions.Item label={t('order.createdAt')}>{formatDateTime(order.createdAt)}</Descriptions.Item>
          </Descriptions>
          {order.assignments.map((a) => (
            <div key={a.id}>
              <Space wrap>
                <Typography.Text strong>{a.unit.name}</Typography.Text>
                <Tag>{t(`assignmentRole.${a.role}`)}</Tag>
                <StatusTag tone="off">{t(`assignmentState.${a.state}`)}</StatusTag>
                {a.deadlines.filter((d) => !d.doneAt).map((d) => <DeadlineTag key={d.kind} dueAt={d.dueAt} doneAt={d.doneAt} />)}
              </Space>
              {a.returnReason && a.state === 'RETURN_REQUESTED' && (
                <Typography.Paragraph style={{ marginTop: 4 }}>{t(`returnReason.${a.returnReason}`)}：{a.returnExplanation}</Typography.Paragraph>
              )}
              {a.replyText && <Typography.Paragraph style={{ marginTop: 4 }}>{a.replyText}</Typography.Paragraph>}
            </div>
          ))}
          {suggest && order.state === 'PENDING_DISPATCH' && (
            <DispatchSuggestions orderId={order.id} text={`${order.title} ${order.content}`} />
          )}
          <Divider titlePlacement="start">{t('order.actions')}</Divider>
          <OrderActions order={order} actor={actor} onChanged={changed} />
        </Space>
      )}
    </Drawer>
  );
}
