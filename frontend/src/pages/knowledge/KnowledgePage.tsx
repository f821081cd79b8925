import { ComingSoon } from '../../components/ComingSoon';

export function KnowledgePage() {
  return <ComingSoon title="layout.knowledge" />;
}
