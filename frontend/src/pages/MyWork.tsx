import { Card, Col, Row, Statistic } from 'antd';
import { useQuery } from 'urql';
import { MyWorkDocument, type MyWorkQuery, type QueueCountFragment } from '../generated/graphql';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { href, type RoutePath } from '../router';
import { hasRole, useViewer } from '../session';

type Counted = Exclude<keyof MyWorkQuery, 'me' | '__typename'>;

/** Each tile: a queue of one of the viewer's roles, its count, and the screen that works it. */
const TILES: { key: Counted; label: MessageKey; path: RoutePath; alarm?: boolean }[] = [
  { key: 'todayIntake', label: 'home.todayIntake', path: '/workspace' },
  { key: 'toDispatch', label: 'home.toDispatch', path: '/dispatch' },
  { key: 'returnsToReview', label: 'home.returnsToReview', path: '/dispatch' },
  { key: 'repliesToReview', label: 'home.repliesToReview', path: '/dispatch' },
  { key: 'requestsToReview', label: 'home.requestsToReview', path: '/dispatch' },
  { key: 'toSign', label: 'home.toSign', path: '/unit-inbox' },
  { key: 'inProgress', label: 'home.inProgress', path: '/unit-inbox' },
  { key: 'unitOverdue', label: 'home.unitOverdue', path: '/unit-inbox', alarm: true },
  { key: 'supervised', label: 'home.supervised', path: '/supervision' },
  { key: 'overdue', label: 'home.overdue', path: '/supervision', alarm: true },
  { key: 'dueCallbacks', label: 'home.dueCallbacks', path: '/callback' },
];

function count(result: QueueCountFragment | null | undefined): number | null {
  return result?.__typename === 'WorkOrderConnection' ? result.totalCount : null;
}

/** "My work" on the overview: the waiting orders of each of the viewer's queues, one click from its screen. */
export function MyWork() {
  const { t } = useI18n();
  const viewer = useViewer();
  const variables = {
    agent: hasRole(viewer, 'AGENT'),
    dispatcher: hasRole(viewer, 'DISPATCHER', 'SUPERVISOR'),
    unit: hasRole(viewer, 'UNIT_HANDLER'),
    callback: hasRole(viewer, 'CALLBACK_AGENT'),
    supervisor: hasRole(viewer, 'SUPERVISOR'),
  };
  const [{ data, fetching }] = useQuery({ query: MyWorkDocument, variables, pause: !Object.values(variables).some(Boolean) });
  const tiles = TILES.map((tile) => ({ ...tile, value: count(data?.[tile.key]) })).filter((tile) => tile.value !== null);
  if (!fetching && tiles.length === 0) return null;
  return (
    <Card title={t('home.myWork')} loading={fetching && !data}>
      <Row gutter={[16, 16]}>
        {tiles.map((tile) => (
          <Col key={tile.key} xs={12} md={8} xl={4}>
            <a href={href(tile.path)} aria-label={`${t(tile.label)}：${String(tile.value)}`}>
              <Statistic
                title={t(tile.label)}
                value={tile.value ?? 0}
                styles={{ content: { color: tile.alarm && (tile.value ?? 0) > 0 ? '#a8071a' : undefined } }}
              />
            </a>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
