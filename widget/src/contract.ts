import type { maxVisitorMessageLength, visitorPaths } from '../../protocol/visitor-socket';

/**
 * The contract's constants. The protocol module builds its zod schemas when it loads (about 26 kB
 * gzipped, more than the whole widget), so the widget imports only types from it; the annotation
 * makes the compiler hold these copies to the contract's literal values.
 */
export const paths: typeof visitorPaths = {
  config: '/widget/config',
  loader: '/widget/parley.js',
  frame: '/widget/frame',
  assets: '/widget/assets/',
  socket: '/visitor/socket',
  demo: '/demo',
};

export const maxMessageLength: typeof maxVisitorMessageLength = 2000;
