import { ComingSoon } from '../../components/ComingSoon';

export function SpecialistInboxPage() {
  return <ComingSoon title="layout.policy" />;
}
