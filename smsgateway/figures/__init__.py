"""The programme's figures, computed from the records: the monthly report and its targets."""
