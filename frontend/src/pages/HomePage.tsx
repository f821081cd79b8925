import { Card, Col, Descriptions, Empty, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useQuery } from 'urql';
import type { Bar } from '../components/BarChart';
import { TenantTreeDocument, TenantUnitsDocument } from '../generated/graphql';
import { useI18n } from '../i18n';
import { buildTree, countNodes } from '../lib/tree';
import { isAdmin, useViewer } from '../session';
import { MyWork } from './MyWork';

// ECharts is large: it loads only when a chart is shown.
const BarChart = lazy(() => import('../components/BarChart').then((m) => ({ default: m.BarChart })));

/** Overview of the acting hotline: who you are here, your waiting work, and (admins) the tree and its units. */
export function HomePage() {
  const { t } = useI18n();
  const viewer = useViewer();
  const admin = isAdmin(viewer);
  const acting = viewer.actingTenant;
  const [tenantsResult] = useQuery({ query: TenantTreeDocument, pause: !admin });
  const [unitsResult] = useQuery({
    query: TenantUnitsDocument,
    variables: { tenantCode: acting?.code ?? '' },
    pause: !admin || !acting,
  });

  const roots = useMemo(
    () => buildTree(tenantsResult.data?.tenants ?? [], (x) => x.code, (x) => x.parent?.code ?? null),
    [tenantsResult.data],
  );
  const childBars: Bar[] = useMemo(
    () => (roots[0]?.children ?? []).map((c) => ({ label: c.item.name.replace('12345政务服务便民热线', ''), value: countNodes([c]) })),
    [roots],
  );
  const unitBars: Bar[] = useMemo(() => {
    const counts = new Map<string, number>();
    for (const u of unitsResult.data?.tenant?.units ?? []) counts.set(u.kind, (counts.get(u.kind) ?? 0) + 1);
    return [...counts].map(([kind, value]) => ({ label: t(`unitKind.${kind}` as Parameters<typeof t>[0]), value }));
  }, [unitsResult.data, t]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('home.welcome', { name: viewer.displayName })}
      </Typography.Title>
      <Card title={t('home.title')}>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('home.account')}>{viewer.login}</Descriptions.Item>
          <Descriptions.Item label={t('home.tenant')}>
            {acting ? `${acting.name}（${acting.code}）` : t('app.noRoleHere')}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.roles')} span="filled">
            {viewer.roles.length === 0 ? t('home.noRoles') : viewer.roles.map((r) => <Tag key={r} color="blue">{t(`role.${r}`)}</Tag>)}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.next')} span="filled">
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {admin && <li>{t('home.adminHint')}</li>}
              <li>{t('home.workHint')}</li>
            </ul>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <MyWork />
      {admin && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('home.subtreeChart')}>
              {tenantsResult.fetching && !tenantsResult.data ? (
                <Skeleton active />
              ) : childBars.length === 0 ? (
                <Empty description={t('common.empty')} />
              ) : (
                <>
                  <Statistic title={t('home.subtree')} value={countNodes(roots) - roots.length} />
                  <Suspense fallback={<Skeleton active />}>
                    <BarChart title={t('home.subtreeChart')} seriesName={t('home.count')} bars={childBars} />
                  </Suspense>
                </>
              )}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('home.unitsChart')}>
              {unitsResult.fetching && !unitsResult.data ? (
                <Skeleton active />
              ) : unitBars.length === 0 ? (
                <Empty description={t('common.empty')} />
              ) : (
                <Suspense fallback={<Skeleton active />}>
                  <BarChart title={t('home.unitsChart')} seriesName={t('home.count')} bars={unitBars} />
                </Suspense>
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
