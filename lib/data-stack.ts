// The stateful part of a deployment: the single table and the token-signing secret, each with its own KMS key.
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { deployedTableName, TABLE_INDEXES, TABLE_KEYS } from '#adapters/dynamo/table-definition';
import type { UtilityConfig } from '#config/schema';

export interface DataStackProps extends StackProps {
  config: UtilityConfig;
  /**
   * Protects the table from deletion and retains table, keys and secret when the stack goes.
   * Turn it off only for throw-away deployments (`-c deletionProtection=false`).
   */
  deletionProtection: boolean;
}

/**
 * The table's physical name. Fixed, so that the stateless stack, the ops CLI and a person at the console
 * find it without stack outputs, and so that CloudFormation can never replace the table silently.
 */
export const tableNameFor = deployedTableName;

export class DataStack extends Stack {
  readonly table: ITable;
  readonly tableName: string;
  readonly tableKey: IKey;
  readonly signingSecret: ISecret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, deletionProtection } = props;
    const removalPolicy = deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const tableKey = new Key(this, 'TableKey', {
      description: `UtilityDesk ${config.id}: encrypts the single table`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // Table, not TableV2: TableV2 cannot render a customer-managed key in a region-agnostic stack.
    this.tableName = tableNameFor(config.id);
    const table = new Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      deletionProtection,
      removalPolicy,
    });
    for (const index of TABLE_INDEXES) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.table = table;
    this.tableKey = tableKey;

    const secretKey = new Key(this, 'SecretKey', {
      description: `UtilityDesk ${config.id}: encrypts the token-signing secret`,
      enableKeyRotation: true,
      removalPolicy,
    });

    const signingSecret = new Secret(this, 'SigningSecret', {
      description: `UtilityDesk ${config.id}: HMAC key material for OTP hashes and bearer tokens`,
      encryptionKey: secretKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: functions read this HMAC secret once per cold start and verify with one key ' +
        `only, so a rotation would invalidate every live bearer token (up to ${config.auth.tokenTtlMinutes} min) and ` +
        'pending OTP, and warm functions would keep the old key. Operators rotate it by hand in a planned window: ' +
        "put a new value, then update the functions' configuration so every execution environment restarts.",
    });
    this.signingSecret = signingSecret;

    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The single table' });
    new CfnOutput(this, 'SigningSecretArn', {
      value: signingSecret.secretArn,
      description: 'HMAC signing secret (rotated by hand: see the SMG4 acknowledgment)',
    });
  }
}
