import { Space, Typography } from 'antd';
import { OrderQueueTable } from '../../components/OrderQueueTable';
import { useI18n } from '../../i18n';

/** 工单查询: every order in reach (a unit: its own), searched, filtered, sorted and paged on the server. */
export function OrdersPage() {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('orders.title')}</Typography.Title>
      <Typography.Paragraph className="page-intro">{t('orders.intro')}</Typography.Paragraph>
      <OrderQueueTable
        queue="ALL" label={t('orders.title')} defaultSort={{ field: 'CREATED_AT', descending: true }}
        controls={['text', 'state', 'requestType', 'channel', 'due', 'days', 'place']}
      />
    </Space>
  );
}
