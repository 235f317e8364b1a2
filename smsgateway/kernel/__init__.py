"""What every capability stands on: the one error type, the area tree, phone numbers, time."""
