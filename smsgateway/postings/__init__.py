"""Job postings: vetting and publishing, who a posting is open to, and the applications to it."""
