// Which Host headers the local server answers: its own loopback names only, so DNS rebinding cannot reach it.

/**
 * 127.0.0.1, localhost or [::1], with or without a port. A page at attacker.example whose name is re-pointed at
 * 127.0.0.1 reaches this server from the developer's browser, but the browser still sends Host:
 * attacker.example, so answering only these names keeps the page from reading gateway secrets and codes.
 */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}
