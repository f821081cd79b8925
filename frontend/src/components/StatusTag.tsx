import { Tag } from 'antd';
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'warn' | 'bad' | 'off';

// Text and background pairs that keep at least 4.5:1 contrast (antd's preset status tags do not).
const TONES: Record<Tone, { color: string; background: string; borderColor: string }> = {
  ok: { color: '#1d6a08', background: '#f0f9e8', borderColor: '#b7e09b' },
  warn: { color: '#874d00', background: '#fff7e6', borderColor: '#ffd591' },
  bad: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  off: { color: 'rgba(0, 0, 0, 0.7)', background: '#f5f5f5', borderColor: '#d9d9d9' },
};

/** A small state label: running, suspended, locked, inactive… */
export function StatusTag({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <Tag style={{ ...TONES[tone], marginInlineEnd: 0 }}>{children}</Tag>;
}
