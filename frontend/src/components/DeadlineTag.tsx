import { Tooltip } from 'antd';
import { useI18n } from '../i18n';
import { deadlineStatus, humanDuration } from '../lib/duration';
import { useNow } from '../lib/useNow';
import { StatusTag, type Tone } from './StatusTag';

/** A deadline shown plainly: 按时 / 超时 2小时 / 剩余 3小时 / 已超时 1天2小时, with the moment on hover. */
export function DeadlineTag({ dueAt, doneAt }: { dueAt: string; doneAt?: string | null }) {
  const { t, locale, formatDateTime } = useI18n();
  const now = useNow();
  const status = deadlineStatus(dueAt, doneAt, now);
  let tone: Tone;
  let text: string;
  switch (status.kind) {
    case 'met':
      [tone, text] = ['ok', t('deadline.met')];
      break;
    case 'missed':
      [tone, text] = ['bad', `${t('deadline.missed')} ${humanDuration(locale, status.lateMs)}`];
      break;
    case 'due':
      [tone, text] = [status.soon ? 'warn' : 'off', t('deadline.due', { left: humanDuration(locale, status.leftMs) })];
      break;
    case 'overdue':
      [tone, text] = ['bad', t('deadline.overdue', { late: humanDuration(locale, status.lateMs) })];
      break;
  }
  return (
    <Tooltip title={formatDateTime(dueAt)}>
      <span tabIndex={0} aria-label={`${text}（${formatDateTime(dueAt)}）`}>
        <StatusTag tone={tone}>{text}</StatusTag>
      </span>
    </Tooltip>
  );
}
