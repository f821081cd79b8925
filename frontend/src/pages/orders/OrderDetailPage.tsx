import { ComingSoon } from '../../components/ComingSoon';

export function OrderDetailPage() {
  return <ComingSoon title="layout.order" />;
}
