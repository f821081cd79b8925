import { ComingSoon } from '../../components/ComingSoon';

export function DispatchPage() {
  return <ComingSoon title="layout.dispatch" />;
}
