package bank.e2e;

import bank.e2e.stack.Command;
import bank.e2e.stack.Repository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart and every manifest under deploy/, checked offline by the programs that read them (through
 * tools/check-kubernetes.sh): helm lint, helm template against the committed rendered examples, helm package,
 * helm-unittest, and kubeconform against schemas of the pinned Kubernetes release and of the operators' CRDs.
 * The script also breaks the schema and kubeconform checks on purpose and fails unless each break is refused
 * for its own reason.
 */
class KubernetesChartIT {

    @Test
    void chartAndManifestsPassHelmUnittestAndKubeconform() {
        // .ci/run builds helm, helm-unittest and kubeconform beforehand; a cold run here would build them.
        Command.run("check-kubernetes", List.of("bash", Repository.file("tools/check-kubernetes.sh").toString()),
                Duration.ofMinutes(60)).assertSucceeded();
    }
}
