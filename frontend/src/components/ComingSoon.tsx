import { Result } from 'antd';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

/** A screen that is registered but not built yet. */
export function ComingSoon({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return <Result status="info" title={t(title)} subTitle={t('app.coming')} />;
}
