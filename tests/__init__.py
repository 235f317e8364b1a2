"""The suite runs its processes as production does: with a Prometheus multiprocess
directory (`smsgateway.metrics`), so what the forked RQ work-horses count reaches /metrics.
It must be set before `prometheus_client` is imported, hence here, before any conftest."""

import os
import tempfile

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="jobline-metrics-"))
