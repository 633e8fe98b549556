// DynamoDB Local runs on Java: check for it up front and say so in one sentence if it is missing.
import { spawnSync } from 'node:child_process';

export const JAVA_MISSING =
  'Java 17 or newer is needed to run DynamoDB Local: install it (e.g. `apt-get install openjdk-17-jre-headless`) and make sure `java` is on PATH.';

export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(JAVA_MISSING);
}
