import 'aws-sdk-client-mock-vitest/extend';
import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EndUserMessagingSms } from '#adapters/aws/end-user-messaging-sms';
import { readSecretString } from '#adapters/aws/secrets';
import { SmsRefusedError } from '#app/ports';
import { loadUtilityConfig } from '#config/load';
import { OUTBOUND_VARIANTS, withChannels } from '#test/support/configs';
import { httpEvent, lambdaContext } from '#test/support/http';

const sms = mockClient(PinpointSMSVoiceV2Client);
const secrets = mockClient(SecretsManagerClient);

const context = lambdaContext('ListBills');

beforeEach(() => {
  sms.reset();
  secrets.reset();
});

describe('End User Messaging SMS adapter', () => {
  it('puts a notice id in the Context every delivery event copies, beside the configuration set', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-2' });
    const sender = new EndUserMessagingSms(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), {
      originationIdentity: '+82216610120',
      configurationSet: 'utilitydesk',
    });
    await sender.send({
      to: '+821012345678',
      body: 'bill',
      purpose: 'notice',
      idempotencyKey: 'notice-id-1',
    });
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      ConfigurationSetName: 'utilitydesk',
      Context: { purpose: 'notice', notice: 'notice-id-1' },
    });
  });

  it('sends a transactional SendTextMessage from the configured origination identity', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-1' });
    const sender = new EndUserMessagingSms(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), {
      originationIdentity: '+82216610120',
      configurationSet: 'utilitydesk',
    });
    await expect(sender.send({ to: '+821012345678', body: 'code 123456', purpose: 'otp' })).resolves.toEqual({
      messageId: 'm-1',
    });
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+821012345678',
      OriginationIdentity: '+82216610120',
      MessageBody: 'code 123456',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'utilitydesk',
      Context: { purpose: 'otp' },
    });
  });

  // A stranger who can make the utility text codes must not be able to make it text premium numbers abroad
  // (SMS pumping): every SMS names the deployment's protect configuration, which allows the utility's country only.
  it("names the deployment's protect configuration on every SMS", async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-2' });
    const sender = new EndUserMessagingSms(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), {
      originationIdentity: 'TESK',
      protectConfigurationId: 'protect-0123456789abcdef',
    });
    await sender.send({ to: '+79123456789', body: 'code 654321', purpose: 'otp' });
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+79123456789',
      ProtectConfigurationId: 'protect-0123456789abcdef',
    });
  });

  it('tells a refusal for good (a country the protect configuration blocks) from a failure worth retrying', async () => {
    const sender = new EndUserMessagingSms(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), {
      originationIdentity: 'TESK',
      protectConfigurationId: 'protect-0123456789abcdef',
    });
    sms.on(SendTextMessageCommand).rejects(
      new ConflictException({
        $metadata: {},
        message: 'blocked',
        Reason: 'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION',
      }),
    );
    await expect(sender.send({ to: '+447911123456', body: 'x', purpose: 'otp' })).rejects.toThrow(
      SmsRefusedError,
    );
    sms.on(SendTextMessageCommand).rejects(new ThrottlingException({ $metadata: {}, message: 'slow down' }));
    const retried = sender.send({ to: '+79123456789', body: 'x', purpose: 'otp' });
    await expect(retried).rejects.toThrow(ThrottlingException);
    await expect(retried).rejects.not.toThrow(SmsRefusedError);
  });

  it('fails loudly when the provider returns no message id', async () => {
    sms.on(SendTextMessageCommand).resolves({});
    const sender = new EndUserMessagingSms(new PinpointSMSVoiceV2Client({ region: 'ap-northeast-2' }), {
      originationIdentity: 'TESK',
    });
    await expect(sender.send({ to: '+79123456789', body: 'x', purpose: 'otp' })).rejects.toThrow(
      /no message id/,
    );
  });
});

describe('Secrets Manager', () => {
  it('reads the signing secret string', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:secret' }).resolves({ SecretString: 's3cret' });
    await expect(
      readSecretString(new SecretsManagerClient({ region: 'ap-northeast-2' }), 'arn:secret'),
    ).resolves.toBe('s3cret');
  });

  it('refuses a secret with no string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({});
    await expect(
      readSecretString(new SecretsManagerClient({ region: 'ap-northeast-2' }), 'arn:secret'),
    ).rejects.toThrow(/no string value/);
  });
});

describe('a Lambda entrypoint (ListBills) with the AWS composition root', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'ap-northeast-2');
    vi.stubEnv('TABLE_NAME', 'utilitydesk-table');
    vi.stubEnv('SIGNING_SECRET_ARN', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing');
    vi.stubEnv('UTILITY_CONFIG_JSON', JSON.stringify(loadUtilityConfig('seoul-water')));
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const invoke = async () => {
    const { handler } = await import('#handlers/http/list-bills');
    const event = httpEvent({
      method: 'GET',
      path: '/accounts/123456789/bills',
      routePath: '/accounts/{accountNumber}/bills',
      pathParameters: { accountNumber: '123456789' },
    });
    return (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  };

  it('reads the signing secret once per cold start and answers a request with no token with 401', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    const first = await invoke();
    expect(first.statusCode).toBe(401);
    expect(first.headers?.['content-type']).toBe('application/problem+json');
    const { handler } = await import('#handlers/http/list-bills');
    await handler(
      httpEvent({ method: 'GET', path: '/accounts/1/bills', pathParameters: { accountNumber: '1' } }),
      context,
    );
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:signing',
    });
  });

  it('answers 500 (not a crash) when the secret cannot be read, and retries on the next invocation', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'y'.repeat(48) });
    expect((await invoke()).statusCode).toBe(500);
    const { handler } = await import('#handlers/http/list-bills');
    const second = (await handler(
      httpEvent({ method: 'GET', path: '/accounts/1/bills', pathParameters: { accountNumber: '1' } }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(second.statusCode).toBe(401);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('refuses to start without its configuration, naming the variable', async () => {
    vi.stubEnv('TABLE_NAME', '');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    expect((await invoke()).statusCode).toBe(500);
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    await expect(lambdaDeps()).rejects.toThrow('Environment variable TABLE_NAME is not set');
  });

  it('sends through End User Messaging with the protect configuration the stack gave the function', async () => {
    const tyumen = loadUtilityConfig('tyumen-power');
    vi.stubEnv(
      'UTILITY_CONFIG_JSON',
      JSON.stringify(withChannels(tyumen, OUTBOUND_VARIANTS['end-user-messaging'])),
    );
    vi.stubEnv('SMS_PROTECT_CONFIGURATION_ID', 'protect-fedcba9876543210');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-3' });
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    const deps = await lambdaDeps();

    await deps.sms.send({ to: '+79123456789', body: 'code 111111', purpose: 'otp' });

    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      OriginationIdentity: 'TESK',
      ProtectConfigurationId: 'protect-fedcba9876543210',
    });
  });

  it('refuses to start when the bundle was built for another SMS provider than the configuration names', async () => {
    vi.stubEnv('UTILITY_SMS_PROVIDER', 'sns');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    const { lambdaDeps } = await import('#handlers/lambda-deps');
    await expect(lambdaDeps()).rejects.toThrow(
      'Bundled for SMS provider sns, but the configuration names gateway',
    );
  });
});
