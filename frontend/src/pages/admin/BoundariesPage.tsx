import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Popconfirm, Row, Skeleton, Space, Table, Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, type FieldError } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import {
  ClearDistrictBoundariesDocument, DistrictBoundariesDocument, SetDistrictBoundariesDocument, type DistrictBoundariesQuery,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { asAreaCollection, featureIndex, previewFile, type FilePreview, type PreviewFeature } from '../../lib/geojson';
import { useViewer } from '../../session';

// ECharts is large: it loads only when a map is shown.
const DistrictMap = lazy(() => import('../dashboard/DistrictMap').then((m) => ({ default: m.DistrictMap })));

type Boundaries = Extract<DistrictBoundariesQuery['districtBoundaries'], { __typename: 'DistrictBoundaries' }>;

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** 地图边界: the acting hotline's own district boundaries (GeoJSON), drawn on the dashboard as a map. */
export function BoundariesPage() {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const [{ data, error }, refetch] = useQuery({ query: DistrictBoundariesDocument, variables: { tenantCode }, pause: !tenantCode });
  const reload = (): void => { refetch({ requestPolicy: 'network-only' }); };
  const result = data?.districtBoundaries;

  let current;
  if (error) current = <Alert type="error" role="alert" title={t('app.unexpectedError')} />;
  else if (!data) current = <Skeleton active />;
  else if (result?.__typename === 'ValidationErrors') {
    current = <Alert type="error" role="alert" title={result.errors.map((e) => errorText(e, t, locale)).join(' ')} />;
  } else if (!result) current = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('boundaries.none')} />;
  else current = <CurrentBoundaries boundaries={result} onCleared={reload} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('layout.boundaries')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('boundaries.intro', { tenant: viewer.actingTenant?.name ?? '' })}</Typography.Paragraph>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}><Card title={t('boundaries.current')}>{current}</Card></Col>
        <Col xs={24} xl={13}><Card title={t('boundaries.upload')}><UploadForm tenantCode={tenantCode} onSaved={reload} /></Card></Col>
      </Row>
    </Space>
  );
}

function CurrentBoundaries({ boundaries, onCleared }: { boundaries: Boundaries; onCleared: () => void }) {
  const { t, locale, formatDateTime } = useI18n();
  const { message } = App.useApp();
  const [{ fetching }, clear] = useMutation(ClearDistrictBoundariesDocument);
  const [problems, setProblems] = useState<string[]>([]);
  const areas = useMemo(() => asAreaCollection(boundaries.geojson), [boundaries]);
  const drop = async (): Promise<void> => {
    const outcome = (await clear({ tenantCode: boundaries.tenantCode })).data?.clearDistrictBoundaries;
    if (outcome?.__typename === 'DistrictBoundariesCleared') { void message.success(t('boundaries.cleared')); onCleared(); }
    else setProblems(outcome?.__typename === 'ValidationErrors' ? outcome.errors.map((e) => errorText(e, t, locale)) : [t('app.unexpectedError')]);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <FormProblems problems={problems} />
      <Descriptions size="small" column={1} items={[
        { key: 'source', label: t('boundaries.source'), children: boundaries.source },
        { key: 'setBy', label: t('boundaries.setBy'), children: boundaries.setBy },
        { key: 'setAt', label: t('boundaries.setAt'), children: formatDateTime(boundaries.setAt) },
        { key: 'size', label: t('boundaries.size'), children: kilobytes(boundaries.sizeBytes) },
        { key: 'count', label: t('boundaries.count'), children: t('boundaries.countValue', { count: boundaries.divisions.length }) },
      ]} />
      {areas && (
        <Suspense fallback={<Skeleton active />}>
          <DistrictMap title={t('boundaries.mapTitle')} mapKey={`admin-${boundaries.tenantCode}-${boundaries.setAt}`} areas={areas}
            rows={null} seriesName={t('boundaries.mapTitle')} height={280} />
        </Suspense>
      )}
      <Table aria-label={t('boundaries.current')} size="small" rowKey="code" pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={boundaries.divisions}
        columns={[
          { key: 'code', title: t('boundaries.code'), dataIndex: 'code', width: 120 },
          { key: 'name', title: t('boundaries.name'), dataIndex: 'name' },
        ]} />
      <Popconfirm title={t('boundaries.clearConfirm')} okText={t('boundaries.clear')} cancelText={t('common.cancel')} onConfirm={() => void drop()}>
        <Button danger icon={<DeleteOutlined />} loading={fetching}>{t('boundaries.clear')}</Button>
      </Popconfirm>
    </Space>
  );
}

interface Chosen {
  /** The preview map's name for ECharts, new for every file chosen. */
  key: string;
  name: string;
  text: string;
  preview: FilePreview;
}

/** The path of an error after the feature it points at: `properties.code`, `geometry.coordinates.0.4`. */
function within(error: FieldError): string {
  return error.path.slice(3).join('.');
}

function UploadForm({ tenantCode, onSaved }: { tenantCode: string; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [source, setSource] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [{ fetching }, save] = useMutation(SetDistrictBoundariesDocument);
  const text = (e: FieldError): string => errorText(e, t, locale);

  const choose = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    setErrors([]);
    if (!file) { setChosen(null); return; }
    const content = await file.text();
    setChosen({ key: `preview-${String(Date.now())}`, name: file.name, text: content, preview: previewFile(content, file.size) });
  };
  const submit = async (): Promise<void> => {
    const missing: FieldError[] = [];
    if (!chosen) missing.push({ path: ['geojson'], message: t('boundaries.chooseFile'), code: 'choose_file' });
    if (!source.trim()) missing.push({ path: ['source'], message: t('boundaries.sourceRequired'), code: 'source_required' });
    if (missing.length > 0 || !chosen) { setErrors(missing); return; }
    const outcome = (await save({ geojson: chosen.text, source, tenantCode })).data?.setDistrictBoundaries;
    if (outcome?.__typename === 'DistrictBoundaries') {
      void message.success(t('boundaries.saved', { count: outcome.divisions.length }));
      setErrors([]);
      setChosen(null);
      setSource('');
      if (input.current) input.current.value = '';
      onSaved();
    } else {
      setErrors(outcome?.__typename === 'ValidationErrors' ? outcome.errors : [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }]);
    }
  };

  // The console's own words for what it finds before sending; the API's errors after.
  const local = chosen?.preview.problem ? t(`error.${chosen.preview.problem}` as MessageKey) : undefined;
  const own = (e: FieldError): string => (e.code === 'choose_file' || e.code === 'source_required' ? e.message : text(e));
  const fileHelp = [local, ...errors.filter((e) => e.path.length === 1 && e.path[0] === 'geojson').map(own)].filter(Boolean).join('；') || undefined;
  const sourceHelp = errors.filter((e) => e.path[0] === 'source').map(own).join('；') || undefined;
  const deeper = errors.filter((e) => e.path[0] === 'geojson' && e.path.length > 1);
  const general = errors.filter((e) => e.path[0] !== 'geojson' && e.path[0] !== 'source').map(own);

  return (
    <Form layout="vertical" name="boundaries" onFinish={() => void submit()}>
      <FormProblems problems={general} />
      <Form.Item label={t('boundaries.file')} htmlFor="boundary-file" required extra={t('boundaries.fileHint')}
        validateStatus={fileHelp ? 'error' : undefined} help={fileHelp}>
        <input id="boundary-file" ref={input} type="file" accept=".geojson,.json,application/geo+json,application/json"
          onChange={(e) => void choose(e)} />
      </Form.Item>
      <Form.Item label={t('boundaries.source')} htmlFor="boundary-source" required validateStatus={sourceHelp ? 'error' : undefined} help={sourceHelp}>
        <Input id="boundary-source" value={source} maxLength={300} placeholder={t('boundaries.sourceHint')}
          onChange={(e) => { setSource(e.target.value); }} />
      </Form.Item>
      {deeper.length > 0 && (
        <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={t('boundaries.refused')}
          description={<ul style={{ margin: 0, paddingInlineStart: 16 }}>{deeper.map((e) => <li key={`${e.path.join('.')}:${e.code}`}><code>{e.path.join('.')}</code>：{text(e)}</li>)}</ul>} />
      )}
      {chosen && chosen.preview.features.length > 0 && <FilePreviewTable chosen={chosen} errors={deeper} />}
      <Button type="primary" htmlType="submit" icon={<UploadOutlined />} loading={fetching} disabled={Boolean(local)}>{t('boundaries.save')}</Button>
    </Form>
  );
}

function FilePreviewTable({ chosen, errors }: { chosen: Chosen; errors: readonly FieldError[] }) {
  const { t, locale } = useI18n();
  const byFeature = new Map<number, FieldError[]>();
  for (const e of errors) {
    const index = featureIndex(e.path);
    if (index !== null) byFeature.set(index, [...(byFeature.get(index) ?? []), e]);
  }
  const columns: ColumnsType<PreviewFeature> = [
    { key: 'feature', title: t('boundaries.feature'), width: 110, render: (_: unknown, f) => <code>features.{f.index}</code> },
    { key: 'code', title: t('boundaries.code'), width: 110, render: (_: unknown, f) => f.code ?? t('boundaries.noCode') },
    { key: 'name', title: t('boundaries.fileName'), render: (_: unknown, f) => f.name ?? '—' },
    { key: 'geometry', title: t('boundaries.geometry'), width: 120, render: (_: unknown, f) => f.geometry ?? '—' },
    {
      key: 'problems', title: t('boundaries.problems'),
      render: (_: unknown, f) => (byFeature.get(f.index) ?? []).map((e) => (
        <Typography.Text key={`${e.path.join('.')}:${e.code}`} type="danger" style={{ display: 'block' }}>{within(e)}：{errorText(e, t, locale)}</Typography.Text>
      )),
    },
  ];
  const drawable = chosen.preview.drawable;
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Typography.Text>{t('boundaries.found', { file: chosen.name, count: chosen.preview.features.length })}</Typography.Text>
      <Table aria-label={t('boundaries.preview')} size="small" rowKey="index" columns={columns} dataSource={chosen.preview.features}
        pagination={{ pageSize: 10, hideOnSinglePage: true }} />
      {drawable && (
        <Suspense fallback={<Skeleton active />}>
          <DistrictMap title={t('boundaries.preview')} mapKey={chosen.key}
            areas={drawable} rows={null} seriesName={t('boundaries.preview')} height={260} />
        </Suspense>
      )}
    </Space>
  );
}
