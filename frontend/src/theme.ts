import type { ThemeConfig } from 'antd';

// Government-console blue; text colours keep WCAG AA contrast on white.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1556b8',
    colorLink: '#1556b8',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
};
