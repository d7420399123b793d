package bank.e2e;

import bank.e2e.stack.Command;
import bank.e2e.stack.Repository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart and every manifest under deploy/, checked against a real API server (through
 * tools/check-kubernetes-api.sh): etcd and kube-apiserver on loopback with the CRDs of CloudNativePG, barman-cloud
 * and the Prometheus Operator installed; helm install, upgrade and rollback; a server-side, strictly validated
 * dry run of every manifest and rendered example. The script also sends what only an API server refuses (a
 * selector that does not match its labels, a PodDisruptionBudget with both bounds, a CloudNativePG CEL rule, an
 * unknown field) and fails unless each is refused for its own reason.
 */
class KubernetesApiServerIT {

    @Test
    void chartInstallsAndManifestsPassServerSideValidation() {
        // .ci/run builds etcd, kube-apiserver and kubectl beforehand; a cold run here would build them.
        Command.run("check-kubernetes-api", List.of("bash", Repository.file("tools/check-kubernetes-api.sh").toString()),
                Duration.ofMinutes(90)).assertSucceeded();
    }
}
