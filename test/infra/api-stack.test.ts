// The stateless stack as CloudFormation will create it: one function per route behind the HTTP API.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { buildApp, cdkJsonContext } from '#lib/app';

const app = new App({
  builtinCloudFormationValidation: false,
  context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
});
const { api } = buildApp({
  app,
  config: loadUtilityConfig('seoul-water'),
  deletionProtection: true,
  nag: false,
});
const template = Template.fromStack(api);
const allRoutes = [...httpRoutes, notFoundRoute];

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function functionOf(routeId: string) {
  const fn = api.functions.get(routeId);
  if (!fn) throw new Error(`no function for route ${routeId}`);
  return fn;
}

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  return api.getLogicalId(construct.node.defaultChild as CfnFunction);
}

/** Every statement of the policies attached to the route function's role. */
function statementsOf(routeId: string): Statement[] {
  const roleId = logicalIdOf(functionOf(routeId).role);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

function actionsOf(routeId: string): string[] {
  return statementsOf(routeId).flatMap((statement) => [statement.Action].flat());
}

describe('the functions', () => {
  it('are one per route plus the $default one, each on nodejs24.x, arm64, traced, 512 MB, 10 s', () => {
    template.resourceCountIs('AWS::Lambda::Function', allRoutes.length);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 10,
      Handler: 'index.handler',
    });
  });

  it('get the table name, the signing secret ARN, the service name and source maps in the environment', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TABLE_NAME: 'utilitydesk-seoul-water',
          SIGNING_SECRET_ARN: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: 'utilitydesk',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('each log to a log group of their own that keeps events for a month', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const used = allRoutes.map((route) => {
      const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(route.id).function)];
      const loggingConfig = fn?.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined;
      return loggingConfig?.LogGroup?.Ref ?? `(${route.id} names no log group)`;
    });
    expect(new Set(used).size).toBe(allRoutes.length);
    for (const id of used) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('run under roles of their own, without AWS managed policies', () => {
    template.resourceCountIs('AWS::IAM::Role', allRoutes.length);
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('use a wildcard resource for X-Ray only, which has no resource-level permissions', () => {
    for (const route of allRoutes) {
      const wildcard = statementsOf(route.id).filter((statement) => statement.Resource === '*');
      expect(wildcard.flatMap((statement) => [statement.Action].flat()).sort(), route.id).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    }
  });

  it('may read the signing secret and decrypt it only through Secrets Manager', () => {
    for (const route of allRoutes) {
      const statements = statementsOf(route.id);
      expect(statements, route.id).toContainEqual(
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' }),
      );
      expect(statements, route.id).toContainEqual(
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
        }),
      );
    }
  });

  it('get the table access their route needs: read-write for auth, read-only for bills, none for $default', () => {
    for (const route of allRoutes) {
      const actions = actionsOf(route.id);
      const access = route.table;
      expect(actions.includes('dynamodb:Query'), route.id).toBe(access !== 'none');
      expect(actions.includes('dynamodb:PutItem'), route.id).toBe(access === 'RW');
      expect(actions.includes('kms:Encrypt'), route.id).toBe(access === 'RW');
    }
    expect(Object.fromEntries(allRoutes.map((r) => [r.id, r.table]))).toEqual({
      AuthOtp: 'RW',
      AuthToken: 'RW',
      ListBills: 'RO',
      GetBill: 'RO',
      NotFound: 'none',
    });
  });

  it('let only the OTP function send SMS, through End User Messaging SMS in its own account and region', () => {
    const smsStatements = statementsOf('AuthOtp').filter((s) =>
      [s.Action].flat().includes('sms-voice:SendTextMessage'),
    );
    expect(smsStatements).toHaveLength(1);
    expect(smsStatements[0]?.Action).toBe('sms-voice:SendTextMessage');
    expect(api.resolve(smsStatements[0]?.Resource)).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':sms-voice:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':*',
        ],
      ],
    });
    for (const route of allRoutes.filter((r) => r.id !== 'AuthOtp')) {
      expect(
        actionsOf(route.id).filter((action) => action.startsWith('sms-voice:')),
        route.id,
      ).toEqual([]);
    }
  });
});

describe('the HTTP API', () => {
  /** The function logical id behind each route key, read from route -> integration -> function. */
  function functionsByRouteKey(): Record<string, string> {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const byRouteKey: Record<string, string> = {};
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = integrations[target['Fn::Join'][1][1].Ref];
      expect(integration?.Properties.IntegrationType).toBe('AWS_PROXY');
      const uri = integration?.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
      byRouteKey[route.Properties.RouteKey as string] = uri['Fn::GetAtt'][0];
    }
    return byRouteKey;
  }

  it('routes every entry of httpRoutes to its own function, and $default to the 404 function', () => {
    const expected = Object.fromEntries([
      ...httpRoutes.map((r) => [`${r.route.method} ${r.route.path}`, logicalIdOf(functionOf(r.id).function)]),
      ['$default', logicalIdOf(functionOf(notFoundRoute.id).function)],
    ]);
    expect(functionsByRouteKey()).toEqual(expected);
  });

  it('has one $default stage that deploys automatically and throttles requests', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('writes JSON access logs to a log group with a retention', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const logGroupId = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(
      template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays,
    ).toBeGreaterThan(0);
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('lets API Gateway invoke each function, and nobody else', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions.length).toBeGreaterThanOrEqual(allRoutes.length);
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: expect.anything(),
      });
    }
  });

  it('is in a stack of its own, apart from the stateful one', () => {
    expect(Stack.of(api).stackName).toBe('UtilityDesk-seoul-water-Api');
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});
