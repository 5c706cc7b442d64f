/**
 * Text put into a tooltip's HTML (series names, labels a user typed): every character that could open markup becomes an
 * entity.
 */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
