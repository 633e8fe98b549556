// One synthesis per configuration for all the infra test files of a worker (the infra project runs with
// isolate: false): building the app is the slow part of these tests, and every file read the same demo stacks.
import { Template } from 'aws-cdk-lib/assertions';
import type { UtilityConfig } from '#config/schema';
import { type SynthesizedApi, synthesizeApi } from './stack-policies.ts';

export interface SharedSynthesis extends SynthesizedApi {
  /** The stateful stack's template. */
  data: Template;
  /** The monitoring stack's template. */
  monitoring: Template;
}

const synthesized = new Map<string, SharedSynthesis>();

/**
 * The app for a config without bundling or cdk-nag, synthesized at most once per worker. Tests must only read it:
 * a construct added to a shared deployment would leak into every other file's assertions.
 */
export function sharedSynth(config: UtilityConfig): SharedSynthesis {
  const key = JSON.stringify(config);
  const known = synthesized.get(key);
  if (known) return known;
  const api = synthesizeApi(config);
  const result: SharedSynthesis = {
    ...api,
    data: Template.fromStack(api.deployment.data),
    monitoring: Template.fromStack(api.deployment.monitoring),
  };
  synthesized.set(key, result);
  return result;
}
