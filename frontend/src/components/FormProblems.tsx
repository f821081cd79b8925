import { Alert } from 'antd';

/** Errors that belong to no single field (forbidden, not found…), shown above the form. */
export function FormProblems({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={problems.length === 1 ? problems[0] : <ul style={{ margin: 0, paddingInlineStart: 16 }}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
    />
  );
}
