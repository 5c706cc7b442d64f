/**
 * Browser mode's default port (`fedmem web --port`), apart from the server so the CLI can name it without loading
 * Fastify.
 */
export const DEFAULT_PORT = 5317;
