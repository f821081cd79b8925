import { ComingSoon } from '../../components/ComingSoon';

export function CallbackPage() {
  return <ComingSoon title="layout.callback" />;
}
