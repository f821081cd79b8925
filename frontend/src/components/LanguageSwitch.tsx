import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n';

/** Switches between Chinese (the default) and English; the choice is remembered in this browser. */
export function LanguageSwitch({ ghost = false }: { ghost?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const next = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <Button
      ghost={ghost}
      icon={<GlobalOutlined aria-hidden />}
      lang={next}
      onClick={() => {
        setLocale(next);
      }}
    >
      {next === 'en-US' ? t('app.switchToEnglish') : t('app.switchToChinese')}
    </Button>
  );
}
