import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes } from '#handlers/http/routes';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { api } = seoul.deployment;
const template = seoul.template;
const open311 = httpRoutes.filter((entry) => entry.route.path.startsWith('/open311/v2/'));

function tableActionsOf(id: string): string[] {
  const fn = api.functions.get(id);
  if (!fn) throw new Error(`no function ${id}`);
  const roleId = api.getLogicalId(fn.role.node.defaultChild as CfnFunction);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies)
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
    .flatMap((statement) => [statement.Action].flat())
    .filter((action) => action.startsWith('dynamodb:'));
}

describe('the Open311 routes', () => {
  it('are the spec’s five kinds of path, with whole-segment variables, public (no authorizer)', () => {
    // A partner's app has no staff token: the api_key is checked by the POST itself.
    const keys = open311.map((entry) => `${entry.route.method} ${entry.route.path}`).sort();
    expect(keys).toEqual([
      'GET /open311/v2/requests/{file}',
      'GET /open311/v2/services/{file}',
      'GET /open311/v2/tokens/{file}',
      'GET /open311/v2/{file}',
      'POST /open311/v2/{file}',
    ]);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((route) =>
      keys.includes(route.Properties.RouteKey as string),
    );
    expect(routes).toHaveLength(5);
    for (const route of routes) expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('let only the POST and the search (its per-address counter) write to the table, and none of them send SMS', () => {
    for (const entry of open311) {
      const actions = tableActionsOf(entry.id);
      const writes = actions.includes('dynamodb:PutItem') || actions.includes('dynamodb:UpdateItem');
      expect(writes, entry.id).toBe(entry.route.method === 'POST' || entry.id === 'Open311Index');
      expect(entry.sendsSms || entry.queuesSms === true, entry.id).toBe(false);
    }
  });
});
