// Builds the portal (Vite) for the local server and the browser tests: the same static files the CDK app deploys.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONFIG_FILE = fileURLToPath(new URL('../../portal/vite.config.ts', import.meta.url));

/** Builds portal/ into portal/dist; the first-page JavaScript budget is printed and enforced by the build. */
export async function buildPortal(): Promise<void> {
  await build({ configFile: CONFIG_FILE });
}
