import { ComingSoon } from '../../components/ComingSoon';

export function WorkspacePage() {
  return <ComingSoon title="layout.agent" />;
}
