import { ComingSoon } from '../../components/ComingSoon';

export function OrdersPage() {
  return <ComingSoon title="layout.orders" />;
}
