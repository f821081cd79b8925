import { ComingSoon } from '../../components/ComingSoon';

export function CalendarsPage() {
  return <ComingSoon title="layout.calendars" />;
}
