// Reading a synthesized API stack's IAM policies by function: what each route's or consumer's role may do.
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { UtilityConfig } from '#config/schema';
import { buildApp, cdkJsonContext, type UtilityDeployment } from '#lib/app';

export type Statement = {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

export interface SynthesizedApi {
  deployment: UtilityDeployment;
  template: Template;
  /** Every statement of the policies attached to the role of a route's or consumer's function. */
  statementsOf(id: string): Statement[];
  actionsOf(id: string): string[];
  /** The function's environment variables, as the template holds them. */
  environmentOf(id: string): Record<string, unknown>;
}

/** Builds the app for a config without bundling or cdk-nag, and reads its API stack. */
export function synthesizeApi(config: UtilityConfig): SynthesizedApi {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
  const deployment = buildApp({ app, config, deletionProtection: true, nag: false });
  const { api } = deployment;
  const template = Template.fromStack(api);
  const functionOf = (id: string) => {
    const fn = api.functions.get(id);
    if (!fn) throw new Error(`no function for route or consumer ${id}`);
    return fn;
  };
  const statementsOf = (id: string): Statement[] => {
    const roleId = api.getLogicalId(functionOf(id).role.node.defaultChild as CfnResource);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    return Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
  };
  return {
    deployment,
    template,
    statementsOf,
    actionsOf: (id) => statementsOf(id).flatMap((statement) => [statement.Action].flat()),
    environmentOf: (id) => {
      const logicalId = api.getLogicalId(functionOf(id).function.node.defaultChild as CfnResource);
      return template.toJSON().Resources[logicalId].Properties.Environment.Variables;
    },
  };
}
