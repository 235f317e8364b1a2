"""RQ jobs: plain functions taking ids, run by `jobline worker`."""
