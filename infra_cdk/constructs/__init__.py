"""One construct per domain, each generic over the declaration in `infra_cdk.wiring`."""
