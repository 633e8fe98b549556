// End User Messaging's delivery events: a configuration set whose event destination publishes to an encrypted SNS topic feeding a queue.
import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { UtilityConfig } from '#config/schema';
import { DELIVERY_EVENT_TYPES } from '#contracts/sms-delivery-event';

/** End User Messaging SMS's service principal: it publishes a configuration set's events. */
const SMS_SERVICE_PRINCIPAL = 'sms-voice.amazonaws.com';

/** The configuration set the stack makes (unless the config names the operator's own): one per utility. */
export const configurationSetNameFor = (utilityId: string) => `utilitydesk-${utilityId}-notices`;

export interface SmsDeliveryEventsProps {
  config: UtilityConfig;
  /** The SmsDeliveryEvents consumer's queue: the topic delivers each event to it. */
  queue: IQueue;
  removalPolicy: RemovalPolicy;
}

/**
 * The delivery events of every SMS End User Messaging sends with the configuration set: the final event types
 * (DELIVERY_EVENT_TYPES, the ones the consumer reads) go to an SNS topic, encrypted with a key of its own that
 * only End User Messaging of this account may publish with, and on to the queue as raw messages (the event JSON
 * alone: it carries its own time, so the envelope adds only bytes). An operator who names a configuration set in
 * the config (channels.sms.outbound.configurationSet) keeps it: the topic is still made, for its event destination.
 */
export class SmsDeliveryEvents extends Construct {
  readonly topic: ITopic;
  /** The configuration set SendTextMessage names: the stack's, or the one the config brings. */
  readonly configurationSetName: string;
  /** The stack's configuration set; none when the config brings its own. */
  readonly configurationSet?: CfnConfigurationSet;

  constructor(scope: Construct, id: string, props: SmsDeliveryEventsProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const sms = new ServicePrincipal(SMS_SERVICE_PRINCIPAL);
    // Only End User Messaging resources of this account and region, not the service on anyone's behalf.
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*' }) },
    };

    const key = new Key(this, 'TopicKey', {
      description: `UtilityDesk ${config.id}: encrypts the SMS delivery events topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // A publisher to an encrypted topic needs the topic's key; SNS's AWS managed key cannot grant that.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesDeliveryEvents',
        principals: [sms],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    const topic = new Topic(this, 'Topic', {
      displayName: `UtilityDesk ${config.id} SMS delivery events`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingSmsPublishesDeliveryEvents',
        principals: [sms],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    topic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: true }));
    this.topic = topic;

    const outbound = config.channels.sms.outbound;
    const brought = outbound.provider === 'end-user-messaging' ? outbound.configurationSet : undefined;
    if (brought) {
      this.configurationSetName = brought;
      return;
    }
    this.configurationSetName = configurationSetNameFor(config.id);
    this.configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      eventDestinations: [
        {
          eventDestinationName: 'notice-deliveries',
          enabled: true,
          matchingEventTypes: Object.keys(DELIVERY_EVENT_TYPES),
          snsDestination: { topicArn: topic.topicArn },
        },
      ],
    });
    // The destination is checked when the set is made: the topic's policy must already let the service publish.
    const topicPolicy = topic.node.tryFindChild('Policy');
    if (topicPolicy) this.configurationSet.node.addDependency(topicPolicy);
    this.configurationSet.applyRemovalPolicy(props.removalPolicy);
  }
}
