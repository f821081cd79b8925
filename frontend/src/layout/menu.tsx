import type { ItemType } from 'antd/es/menu/interface';
import type { ViewerFragment } from '../generated/graphql';
import type { Translate } from '../i18n';
import { SCREENS, type ScreenDef } from '../screens';
import { hasRole } from '../session';

/** May the viewer open this screen in the acting tenant? */
export function mayOpen(viewer: ViewerFragment, screen: Pick<ScreenDef, 'roles'>): boolean {
  return screen.roles === null || hasRole(viewer, ...screen.roles);
}

/** The side menu for the viewer's roles in the acting tenant. Keys are route paths. */
export function menuItems(viewer: ViewerFragment, t: Translate): ItemType[] {
  const open = SCREENS.filter((s) => mayOpen(viewer, s));
  const entry = (s: (typeof SCREENS)[number]) => ({ key: s.path, icon: s.icon, label: t(s.label) });
  const items: ItemType[] = open.filter((s) => s.group === 'top').map(entry);
  for (const group of ['work', 'admin'] as const) {
    const children = open.filter((s) => s.group === group).map(entry);
    if (children.length > 0) items.push({ type: 'group', key: group, label: t(`layout.${group}`), children });
  }
  return items;
}
