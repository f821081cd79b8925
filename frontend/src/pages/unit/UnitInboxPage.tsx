import { ComingSoon } from '../../components/ComingSoon';

export function UnitInboxPage() {
  return <ComingSoon title="layout.unitInbox" />;
}
