import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Skeleton, Space, Tabs, Typography } from 'antd';
import { useQuery } from 'urql';
import { errorText } from '../../api/errors';
import { DispatchConfigurationDocument } from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { useRoute } from '../../router';
import { hasRole, useViewer } from '../../session';
import { CatalogueTab } from './dispatch/CatalogueTab';
import { ExplainTab } from './dispatch/ExplainTab';
import { RulesTab } from './dispatch/RulesTab';
import { SimulationTab } from './dispatch/SimulationTab';
import { TaxonomyTab } from './dispatch/TaxonomyTab';
import { VersionsTab } from './dispatch/VersionsTab';

const TABS = ['rules', 'catalogue', 'taxonomy', 'versions', 'simulation', 'explain'] as const;
type Tab = (typeof TABS)[number];

/** 派单配置: the acting hotline's draft of taxonomy, catalogue and rules over what it inherits; publish, simulate, explain. */
export function DispatchConfigPage() {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const [route, navigate] = useRoute();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const tab: Tab = (TABS as readonly string[]).includes(route.params.get('tab') ?? '') ? route.params.get('tab') as Tab : 'rules';
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DispatchConfigurationDocument, variables: { tenantCode, draft: true }, pause: !tenantCode, requestPolicy: 'cache-and-network',
  });
  const reload = (): void => { refetch({ requestPolicy: 'network-only' }); };
  const canMandate = hasRole(viewer, 'PROVINCE_ADMIN');
  const config = data?.dispatchConfiguration;

  let body;
  if (error) body = <Alert type="error" role="alert" title={t('app.unexpectedError')} />;
  else if (!config) body = <Skeleton active />;
  else if (config.__typename === 'ValidationErrors') {
    body = <Alert type="error" role="alert" title={config.errors.map((e) => errorText(e, t, locale)).join(' ')} />;
  } else {
    const items = [
      { key: 'rules', label: t('config.tabRules'), children: <RulesTab tenantCode={tenantCode} config={config} canMandate={canMandate} onChanged={reload} /> },
      { key: 'catalogue', label: t('config.tabCatalogue'), children: <CatalogueTab tenantCode={tenantCode} config={config} canMandate={canMandate} onChanged={reload} /> },
      { key: 'taxonomy', label: t('config.tabTaxonomy'), children: <TaxonomyTab tenantCode={tenantCode} onChanged={reload} /> },
      { key: 'versions', label: t('config.tabVersions'), children: <VersionsTab tenantCode={tenantCode} draftItems={config.items} onChanged={reload} /> },
      { key: 'simulation', label: t('config.tabSimulation'), children: <SimulationTab tenantCode={tenantCode} /> },
      { key: 'explain', label: t('config.tabExplain'), children: <ExplainTab tenantCode={tenantCode} initialOrderId={route.params.get('order') ?? undefined} /> },
    ];
    body = (
      <Tabs activeKey={tab} items={items} destroyOnHidden
        onChange={(key) => { navigate('/admin/dispatch', { tab: key }); }} />
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('layout.dispatchConfig')}</Typography.Title>
        <Typography.Paragraph className="page-intro">
          {t('config.dispatchIntro', { tenant: viewer.actingTenant?.name ?? '' })}
          {config?.__typename === 'DispatchConfiguration' && config.versions.length > 0 && (
            <> {t('config.inForceVersions', { list: config.versions.map((v) => `${v.tenantCode} v${v.number}`).join('，') })}</>
          )}
        </Typography.Paragraph>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={fetching}>{t('common.refresh')}</Button>
      </div>
      {body}
    </Space>
  );
}
