import type { ThemeConfig } from 'antd';

// Government-console blue; text colours keep WCAG AA contrast on white.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1556b8',
    colorInfo: '#1556b8',
    colorLink: '#1556b8',
    // Darker than antd's default red so that danger buttons and error text reach 4.5:1.
    colorError: '#c41d1f',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    // Secondary and tertiary text (description labels, secondary notes) at 4.5:1 or better on white.
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
};
