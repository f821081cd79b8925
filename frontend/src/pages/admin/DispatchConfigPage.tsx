import { ComingSoon } from '../../components/ComingSoon';

export function DispatchConfigPage() {
  return <ComingSoon title="layout.dispatchConfig" />;
}
