// Runs AWS's DynamoDB Local bound to 127.0.0.1 only: the jar has no host option and would listen on every interface.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Started with Java's single-file source launcher (bin/local/dynamo-local.ts), so nothing is compiled ahead.
 * Takes DynamoDB Local's own arguments (-port, -inMemory, -dbPath, -sharedDb, ...). DynamoDB Local accepts any
 * credentials, so anyone who can reach its port can read and change every table: it must not face the network.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    // Built exactly as ServerRunner.main builds it, minus the telemetry it would configure there.
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // DynamoDBProxyServer keeps its Jetty server private and gives it a connector with no host (all interfaces).
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local built a server with no connector");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("DynamoDB Local built an unexpected connector: " + connector);
      }
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    // start() prints a port already in use and stops the server instead of throwing: exit so the caller sees it.
    if (!jetty.isStarted()) System.exit(1);
    proxy.join();
  }
}
