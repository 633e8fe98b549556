// DynamoDB Local runs on Java: check for it (and the JDK's compiler) up front and say so in one sentence if missing.
import { spawnSync } from 'node:child_process';

export const JAVA_MISSING =
  'Java 17 or newer is needed to run DynamoDB Local: install a JDK (e.g. `apt-get install openjdk-17-jdk-headless`) and make sure `java` is on PATH.';

export const JDK_COMPILER_MISSING =
  'DynamoDB Local is started bound to 127.0.0.1 by a small Java launcher run from source, which needs a JDK, not only a JRE: install one (e.g. `apt-get install openjdk-17-jdk-headless`) and make sure its `java` is first on PATH.';

export function assertJava(): void {
  // One JVM start answers both questions: is there a Java, and can it run a .java file (the jdk.compiler module)?
  const result = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(JAVA_MISSING);
  if (!/^jdk\.compiler@/m.test(result.stdout)) throw new Error(JDK_COMPILER_MISSING);
}
