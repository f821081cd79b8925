// The words of the agent workspace, knowledge base and policy specialists' inbox screens. English must cover every key (the type checks it).
export const zh = {
} as const;

// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- filled as the screens arrive
export const en: Record<keyof typeof zh, string> = {
};
