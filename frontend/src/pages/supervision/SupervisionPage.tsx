import { ComingSoon } from '../../components/ComingSoon';

export function SupervisionPage() {
  return <ComingSoon title="layout.supervisor" />;
}
