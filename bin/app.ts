// The CDK app: one deployment per utility, `cdk synth|deploy -c utility=<id> [-c deletionProtection=false]
// [-c alarmEmail=<address>]`.
import { App } from 'aws-cdk-lib';
import { loadUtilityConfig } from '#config/load';
import { buildApp, readDeploymentContext } from '#lib/app';

const app = new App();
const { utility, ...choices } = readDeploymentContext(app);
buildApp({ app, config: loadUtilityConfig(utility), ...choices });
