// The one Lambda function construct: every function gets the same runtime, bundling, logging and tracing.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type IGrantable,
  type IPrincipal,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueUrlVariable } from '#adapters/aws/sqs-queue';
import type { TableAccess } from '#adapters/dynamo/table-definition';
import { METRICS_NAMESPACE } from '#app/business-events';
import type { EmailChannelConfig, SmsOutboundConfig, UtilityConfig } from '#config/schema';

/** The repository root: entry files and the lock file are given relative to it. */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The service name of a utility's functions: in their logs, their traces, and as the `service` dimension of
 * every business metric, so the dashboard and alarms of one deployment read only its own events.
 */
export function serviceNameFor(utilityId: string): string {
  return `utilitydesk-${utilityId}`;
}

/** What a function may do with the table. 'none' still passes the name: the composition root builds every adapter. */

export interface UtilityFunctionProps {
  /** Entry file, relative to the repository root (as in functions/handlers/http/routes.ts). */
  entry: string;
  config: UtilityConfig;
  description?: string;
  /** @default Duration.seconds(10) */
  timeout?: Duration;
  /** @default 512 */
  memorySize?: number;
  /**
   * Files the code reads at run time, copied next to index.mjs after bundling: `from` relative to the repository
   * root (node_modules included), `to` a bare file name in the bundle.
   */
  bundledFiles?: ReadonlyArray<{ from: string; to: string }>;
  /** Whether it uses the complaint photo bucket; the others' bundles leave the S3 client for it out. @default false */
  usesPhotoBucket?: boolean;
}

export class UtilityFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly grantPrincipal: IPrincipal;
  /** The SMS gateways' secrets bound so far (GATEWAY_SECRET_ARNS names them all). */
  private readonly gatewaySecrets = new Map<string, ISecret>();

  constructor(scope: Construct, id: string, props: UtilityFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });

    // An own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `UtilityDesk ${props.config.id} ${id} function`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      ...(props.description ? { description: props.description } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceNameFor(props.config.id),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Bundle our pinned, tree-shaken SDK v3 clients rather than the runtime's copy.
        bundleAwsSDK: true,
        // ESM output has no `require`; some CommonJS dependencies still call it.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The checked configuration is baked into the code: it exceeds Lambda's 4 KB environment limit.
        // The providers' names too: the composition root's branches for the other providers then fold away,
        // and their SDK clients stay out of the bundle.
        define: {
          'process.env.UTILITY_CONFIG_JSON': JSON.stringify(JSON.stringify(props.config)),
          'process.env.UTILITY_SMS_PROVIDER': JSON.stringify(props.config.channels.sms.outbound.provider),
          'process.env.UTILITY_EMAIL_PROVIDER': JSON.stringify(props.config.channels.email.provider),
          'process.env.UTILITY_BILLING_ENGINE': JSON.stringify(props.config.billing.engine),
          'process.env.UTILITY_PHOTO_BUCKET': JSON.stringify(props.usesPhotoBucket ? 'used' : 'unused'),
        },
        ...(props.bundledFiles?.length ? { commandHooks: copyIntoBundle(props.bundledFiles) } : {}),
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }

  /** Sets TABLE_NAME and grants the given access to the table, its indexes and its KMS key. */
  bindTable(table: ITable, access: TableAccess): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'none') return;
    if (access === 'RO') table.grantReadData(this);
    else table.grantReadWriteData(this);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderForNag(this, table.tableArn)}/index/*]`,
      reason:
        "Queries by the table's global secondary indexes: the wildcard stands for this one table's indexes only.",
    });
    if (access === 'RW' && table.encryptionKey) {
      const reason =
        "Action wildcards from CDK's standard read-write table grant on the table's customer-managed key " +
        "(kms:GenerateDataKey*, kms:ReEncrypt* beside Encrypt/Decrypt); the only resource is that one key's ARN.";
      Validations.of(this).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason });
      Validations.of(this).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason });
    }
  }

  /**
   * Sets SIGNING_SECRET_ARN and allows reading the secret and decrypting it through Secrets Manager.
   * Written out instead of secret.grantRead(): that also edits the key policy in the data stack, which
   * would make the stateful stack depend on this function's role (a cycle between the stacks).
   */
  bindSigningSecret(secret: ISecret): void {
    this.function.addEnvironment('SIGNING_SECRET_ARN', secret.secretArn);
    this.allowReadingSecret(secret);
  }

  /** GetSecretValue on the one secret, and Decrypt on its key through Secrets Manager only. */
  private allowReadingSecret(secret: ISecret): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    if (secret.encryptionKey) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secret.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
  }

  /**
   * Sets the queue's URL variable and allows sqs:SendMessage on that one queue, with the two key actions SQS needs
   * from a sender to an encrypted queue. Written out rather than queue.grantSendMessages(), whose wildcard
   * KMS actions (kms:GenerateDataKey*, kms:ReEncrypt*) a sender does not need.
   */
  allowSendTo(queue: IQueue, urlVariable: QueueUrlVariable): void {
    this.function.addEnvironment(urlVariable, queue.queueUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    if (queue.encryptionMasterKey) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [queue.encryptionMasterKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
  }

  /**
   * Sets GATEWAY_SECRET_ARNS (gateway id -> secret ARN, as JSON) and allows reading those secrets and
   * decrypting them through Secrets Manager, written out for the same reason as bindSigningSecret.
   * May be called more than once: the variable then names every secret bound so far.
   */
  bindGatewaySecrets(secrets: ReadonlyMap<string, ISecret>): void {
    const added = [...secrets].filter(([id]) => !this.gatewaySecrets.has(id));
    if (added.length === 0) return;
    for (const [id, secret] of added) this.gatewaySecrets.set(id, secret);
    const stack = Stack.of(this);
    this.function.addEnvironment(
      'GATEWAY_SECRET_ARNS',
      stack.toJsonString(
        Object.fromEntries([...this.gatewaySecrets].map(([id, secret]) => [id, secret.secretArn])),
      ),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: added.map(([, secret]) => secret.secretArn),
      }),
    );
    const keys = added.flatMap(([, secret]) => (secret.encryptionKey ? [secret.encryptionKey.keyArn] : []));
    if (keys.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [...new Set(keys)],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        }),
      );
    }
  }

  /**
   * Allows sending SMS through the utility's configured provider, and reading that provider's opt-out list,
   * which the sender consults before every notice. A domestic gateway needs its shared secret instead.
   * End User Messaging also gets SMS_PROTECT_CONFIGURATION_ID, the protect configuration it names on every SMS
   * (the data stack's; only the functions that send SMS have it).
   */
  allowSms(
    outbound: SmsOutboundConfig,
    gatewaySecrets: ReadonlyMap<string, ISecret>,
    protectConfigurationId?: string,
  ): void {
    const stack = Stack.of(this);
    switch (outbound.provider) {
      case 'end-user-messaging':
        // Sending without it would let a pumped number in any country through: refuse to build that.
        if (!protectConfigurationId)
          throw new Error('End User Messaging senders need an SMS protect configuration');
        this.function.addEnvironment('SMS_PROTECT_CONFIGURATION_ID', protectConfigurationId);
        // No new action: naming a protect configuration is part of SendTextMessage, and the configuration is one
        // of this account's and region's End User Messaging resources, which the grant below already covers.
        this.allowEndUserMessaging(['sms-voice:SendTextMessage', 'sms-voice:DescribeOptedOutNumbers']);
        return;
      case 'pinpoint': {
        // SendMessages to a project's SMS channel; its STOPs land in End User Messaging's opt-out lists.
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['mobiletargeting:SendMessages'],
            resources: [
              stack.formatArn({
                service: 'mobiletargeting',
                resource: 'apps',
                resourceName: `${outbound.applicationId}/messages`,
              }),
            ],
          }),
        );
        this.allowEndUserMessaging(['sms-voice:DescribeOptedOutNumbers']);
        return;
      }
      case 'sns':
        // Publish to a phone number and its opt-out check name no resource: IAM evaluates them against "*".
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'],
            resources: ['*'],
          }),
        );
        Validations.of(this).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'SNS Publish to a phone number (not a topic) and CheckIfPhoneNumberIsOptedOut have no resource to ' +
            'scope to: IAM authorises them against "*". X-Ray tracing needs "*" as well.',
        });
        return;
      case 'gateway': {
        const secret = gatewaySecrets.get(outbound.gateway);
        if (!secret) throw new Error(`No secret for SMS gateway ${outbound.gateway}`);
        this.bindGatewaySecrets(new Map([[outbound.gateway, secret]]));
        return;
      }
    }
  }

  /**
   * Sets MESSENGER_SECRET_ARN and allows reading the messenger provider's API key and decrypting it through
   * Secrets Manager, written out for the same reason as bindSigningSecret.
   */
  bindMessengerSecret(secret: ISecret): void {
    this.function.addEnvironment('MESSENGER_SECRET_ARN', secret.secretArn);
    this.allowReadingSecret(secret);
  }

  /** Allows SES SendEmail from the configured identity (and configuration set), if the utility sends e-mail. */
  allowEmail(email: EmailChannelConfig): void {
    if (email.provider === 'none') return;
    const stack = Stack.of(this);
    const domain = email.from.slice(email.from.lastIndexOf('@') + 1);
    const resources = [
      // SES authorises against the identity that is verified: the address itself, or its domain.
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: email.from }),
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
      ...(email.configurationSet
        ? [
            stack.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: email.configurationSet,
            }),
          ]
        : []),
    ];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources,
        conditions: { StringEquals: { 'ses:FromAddress': email.from } },
      }),
    );
  }

  private allowEndUserMessaging(actions: string[]): void {
    const resource = Stack.of(this).formatArn({ service: 'sms-voice', resource: '*' });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [resource] }));
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderForNag(this, resource)}]`,
      reason:
        'SendTextMessage authorises against the origination identity (phone number, sender ID or pool), the ' +
        'configuration set and the opt-out list at once (and whatever protect configuration it names), and the ' +
        'identity and opt-out list come from the utility config; the grant is limited to sending and reading opted-out numbers, scoped to End User ' +
        'Messaging SMS resources of this account and region.',
    });
  }
}

/** Bundling hooks that copy files into the bundle after esbuild has written it. */
function copyIntoBundle(files: ReadonlyArray<{ from: string; to: string }>): ICommandHooks {
  for (const { to } of files) {
    if (!/^[\w.-]+$/.test(to)) throw new Error(`A bundled file needs a bare file name, not ${to}`);
  }
  const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      files.map(({ from, to }) => `cp ${quote(join(inputDir, from))} ${quote(join(outputDir, to))}`),
  };
}

/**
 * A token-free rendering of a value the way cdk-nag names it in findings: pseudo parameters become
 * <AWS::Region> etc. Fails for anything else, so an acknowledgment never silently stops matching.
 */
export function renderForNag(scope: Construct, value: string): string {
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    if (typeof part === 'object' && part !== null) {
      const ref = (part as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && ref.startsWith('AWS::')) return `<${ref}>`;
      const join = (part as { 'Fn::Join'?: unknown })['Fn::Join'];
      if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]))
        return join[1].map(render).join('');
    }
    throw new Error(`Cannot name ${JSON.stringify(part)} in a cdk-nag acknowledgment`);
  };
  return render(Stack.of(scope).resolve(value));
}
