package io.lopq.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes the suite's one {@link LocalCluster} as a parameter ({@code @BeforeAll static
 * void setUp(LocalCluster cluster)} or a test method's parameter). The cluster is started on first
 * use and kept in the root context's store, so JUnit closes (stops) it once, after the last test
 * class of the run; every later class finds it running and gets it with all workers restarted.
 */
final class ClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalCluster cluster = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(LocalCluster.class, key -> LocalCluster.start(), LocalCluster.class);
    cluster.ensureAllWorkers();
    return cluster;
  }
}
