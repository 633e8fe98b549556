// The stateless stack as CloudFormation will create it: one function per route behind the HTTP API, one per queue consumer.
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import type { TableAccess } from '#adapters/dynamo/table-definition';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { schedules } from '#handlers/schedule/schedules';
import { photoCheckConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { CONSUMER_RUNTIME } from '#lib/consumer-queue';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { api } = seoul.deployment;
const template = seoul.template;
const allRoutes = [...httpRoutes, notFoundRoute];
/** Every function the stack builds, from the three tables that declare them, with the access each declares. */
const allEntries: ReadonlyArray<{ id: string; table: TableAccess; sendsSms: boolean }> = [
  ...allRoutes,
  ...queueConsumers,
  photoCheckConsumer,
  ...schedules.map((schedule) => ({ ...schedule, sendsSms: false })),
];

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function functionOf(id: string) {
  const fn = api.functions.get(id);
  if (!fn) throw new Error(`no function for route or consumer ${id}`);
  return fn;
}

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  return api.getLogicalId(construct.node.defaultChild as CfnFunction);
}

/** Every statement of the policies attached to the role of a route's or consumer's function. */
function statementsOf(id: string): Statement[] {
  const roleId = logicalIdOf(functionOf(id).role);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

function actionsOf(id: string): string[] {
  return statementsOf(id).flatMap((statement) => [statement.Action].flat());
}

function functionResource(id: string) {
  const resource = template.findResources('AWS::Lambda::Function')[logicalIdOf(functionOf(id).function)];
  if (!resource) throw new Error(`no AWS::Lambda::Function for ${id}`);
  return resource;
}

/** CDK's own deploy-time functions (the portal's file copy and its SDK calls, lib/portal.ts) and their roles. */
const DEPLOY_TIME = /^(CustomCDKBucketDeployment|AWS679f53fac002430cb0da5b7982bd2287)/;

/** The stack's resources of a type that belong to the application, not to CDK's deploy-time functions. */
function ours(type: string) {
  return Object.entries(template.findResources(type)).filter(([id]) => !DEPLOY_TIME.test(id));
}

describe('the functions', () => {
  it("are CDK's two deploy-time functions besides ours: the portal's file copy and its SDK calls", () => {
    const deployTime = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
      DEPLOY_TIME.test(id),
    );
    expect(deployTime).toHaveLength(2);
  });

  it('are one per route, the $default one, one per queue consumer and one per schedule, each on nodejs24.x, arm64, traced, 512 MB (1,024 to print PDFs, 2,048 to check photos)', () => {
    expect(new Set(allEntries.map((entry) => entry.id)).size).toBe(allEntries.length);
    const functions = ours('AWS::Lambda::Function');
    expect(functions).toHaveLength(allEntries.length);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    }
    const printsPdf = new Set(httpRoutes.filter((route) => route.printsPdf).map((route) => route.id));
    for (const { id } of allEntries) {
      // The photo check decodes photos of up to 50 megapixels (lib/complaint-photos.ts).
      const memory = printsPdf.has(id) ? 1024 : id === photoCheckConsumer.id ? 2048 : 512;
      expect(functionResource(id).Properties.MemorySize, id).toBe(memory);
    }
  });

  it('time out after 10 s behind the API, and after the consumer timeout on a queue', () => {
    for (const route of allRoutes) expect(functionResource(route.id).Properties.Timeout, route.id).toBe(10);
    for (const consumer of queueConsumers) {
      expect(functionResource(consumer.id).Properties.Timeout, consumer.id).toBe(
        CONSUMER_RUNTIME.timeout.toSeconds(),
      );
    }
  });

  it('get the table name, the signing secret ARN, the utility service name, the metrics namespace and source maps', () => {
    // Two utilities deployed in one account publish business events apart: the service name is the dimension.
    for (const [id, fn] of ours('AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables, id).toMatchObject({
        TABLE_NAME: 'utilitydesk-seoul-water',
        SIGNING_SECRET_ARN: expect.anything(),
        POWERTOOLS_SERVICE_NAME: 'utilitydesk-seoul-water',
        POWERTOOLS_METRICS_NAMESPACE: 'UtilityDesk',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('each log to a log group of their own that keeps events for a month', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const used = allEntries.map((entry) => {
      const loggingConfig = functionResource(entry.id).Properties.LoggingConfig as
        | { LogGroup?: { Ref?: string } }
        | undefined;
      return loggingConfig?.LogGroup?.Ref ?? `(${entry.id} names no log group)`;
    });
    expect(new Set(used).size).toBe(allEntries.length);
    for (const id of used) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('run under roles of their own, without AWS managed policies', () => {
    // One role per function, and one per schedule for EventBridge Scheduler to invoke its function with.
    // And one for the announcements' one-time schedules to send to the planner queue with.
    // CDK's two deploy-time functions have roles of their own (with the basic execution policy, cdk-nag acknowledged).
    const roles = ours('AWS::IAM::Role');
    expect(roles).toHaveLength(allEntries.length + schedules.length + 1);
    for (const [id, role] of roles) expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::IAM::Role')).length - roles.length).toBe(2);
  });

  it('use a wildcard resource for X-Ray only, which has no resource-level permissions', () => {
    for (const entry of allEntries) {
      const wildcard = statementsOf(entry.id).filter((statement) => statement.Resource === '*');
      expect(wildcard.flatMap((statement) => [statement.Action].flat()).sort(), entry.id).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    }
  });

  it('may read the signing secret and decrypt it only through Secrets Manager', () => {
    for (const entry of allEntries) {
      const statements = statementsOf(entry.id);
      expect(statements, entry.id).toContainEqual(
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' }),
      );
      expect(statements, entry.id).toContainEqual(
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
        }),
      );
    }
  });

  it('get exactly the table access their entry declares: read-write, read-only or none', () => {
    const reads = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    for (const entry of allEntries) {
      const actions = actionsOf(entry.id);
      const access = entry.table;
      for (const action of reads)
        expect(actions.includes(action), `${entry.id} ${action}`).toBe(access !== 'none');
      for (const action of writes)
        expect(actions.includes(action), `${entry.id} ${action}`).toBe(access === 'RW');
      if (access === 'none')
        expect(
          actions.filter((a) => a.startsWith('dynamodb:')),
          entry.id,
        ).toEqual([]);
      expect(actions.includes('kms:Encrypt'), entry.id).toBe(access === 'RW');
    }
    // The declarations themselves, for the functions whose access is a rule rather than a detail.
    expect(Object.fromEntries(allEntries.map((entry) => [entry.id, entry.table]))).toMatchObject({
      AuthOtp: 'RW',
      AuthToken: 'RW',
      ListBills: 'RO',
      GetBill: 'RO',
      NotFound: 'none',
      SmsInbound: 'RW',
    });
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
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SecretsManager::Secret',
      'AWS::KMS::Key',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });
});
