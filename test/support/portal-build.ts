// Builds the portal once before the infra tests: the API stack deploys portal/dist, and CDK fingerprints it at synth.
import { buildPortal } from '../../bin/local/build-portal.ts';

export async function setup(): Promise<void> {
  await buildPortal();
}
