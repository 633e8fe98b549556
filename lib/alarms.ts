// The alarms on the API, the functions and the business events; each notifies the operators' topic.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { businessMetric } from './business-metrics.ts';
import { notifyOperators } from './operators-topic.ts';
import type { UtilityFunction } from './utility-function.ts';

const FIVE_MINUTES = Duration.minutes(5);

/** A share of 5xx answers above which the API alarms, once it has this many requests in five minutes. */
export const API_5XX_ALARM = { percent: 5, minimumRequests: 10 } as const;

export interface AlarmsProps {
  utilityId: string;
  /** The `service` dimension the utility's functions publish business events with. */
  serviceName: string;
  api: HttpApi;
  /** Every function, by route or consumer id. */
  functions: ReadonlyMap<string, UtilityFunction>;
  /** The operators' topic: every alarm made here notifies it. */
  topic: ITopic;
}

export class Alarms extends Construct {
  readonly all: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { api, topic, utilityId } = props;
    const describe = (what: string) => `UtilityDesk ${utilityId} ${what}`;
    const alarm = (alarmId: string, alarmProps: AlarmProps): Alarm => {
      // Named, so the notification says which utility and what: "UtilityDesk-seoul-water-AuthOtpErrors".
      const made = new Alarm(this, alarmId, {
        alarmName: `UtilityDesk-${utilityId}-${alarmId}`,
        ...alarmProps,
      });
      notifyOperators(made, topic);
      this.all.push(made);
      return made;
    };
    const anyInFiveMinutes = {
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data is no event: a quiet function or a day without the ceiling is fine.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };

    // The wrappers turn every failure into an answer (problem+json, or a failed record for SQS to retry), so a
    // Lambda error is a crash, a timeout or a failed cold start: worth a look each time.
    for (const [fnId, fn] of props.functions) {
      alarm(`${fnId}Errors`, {
        alarmDescription: describe(
          `${fnId}: the function crashed or timed out (Lambda errors). See its logs.`,
        ),
        metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ...anyInFiveMinutes,
      });
      alarm(`${fnId}Throttles`, {
        alarmDescription: describe(
          `${fnId}: Lambda refused invocations for lack of concurrency (the account's regional limit).`,
        ),
        metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ...anyInFiveMinutes,
      });
    }

    alarm('Api5xxRate', {
      alarmDescription: describe(
        `API: more than ${API_5XX_ALARM.percent}% of requests answered 5xx in 10 of the last 15 minutes.`,
      ),
      // Below a handful of requests one failure would be a large share: quiet hours do not page anyone.
      metric: new MathExpression({
        expression: `IF(requests >= ${API_5XX_ALARM.minimumRequests}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: {
          requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
          errors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        label: '5xx (% of requests)',
        period: FIVE_MINUTES,
      }),
      threshold: API_5XX_ALARM.percent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    alarm('CodeSmsCeilingReached', {
      alarmDescription: describe(
        "One-time codes: the utility's daily ceiling of code SMS was reached; no code is sent until local midnight.",
      ),
      metric: businessMetric(props.serviceName, 'CodeSmsCeilingReached'),
      ...anyInFiveMinutes,
    });

    // A refusal for good is recorded and never retried, so no dead-letter queue fills: without these, a protect
    // configuration that blocks the utility's own country, or a sender falling behind, would stop codes silently.
    alarm('SmsRefused', {
      alarmDescription: describe(
        'Outbound SMS: a queued SMS was refused for good (by the provider, or ours for a number abroad) and will ' +
          'not be sent. Check the protect configuration and the SmsOutbound log.',
      ),
      metric: businessMetric(props.serviceName, 'SmsDelivered', { outcome: 'refused' }),
      ...anyInFiveMinutes,
    });
    alarm('SmsExpired', {
      alarmDescription: describe(
        'Outbound SMS: a code expired in the outbound queue before it was sent; the sender is falling behind ' +
          '(throttled, failing or the provider slow).',
      ),
      metric: businessMetric(props.serviceName, 'SmsDelivered', { outcome: 'expired' }),
      ...anyInFiveMinutes,
    });
  }
}
