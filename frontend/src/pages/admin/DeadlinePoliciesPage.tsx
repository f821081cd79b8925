import { ComingSoon } from '../../components/ComingSoon';

export function DeadlinePoliciesPage() {
  return <ComingSoon title="layout.deadlines" />;
}
