"""After a placement: departures and their reminders, check-ins, and problem reports (cases)."""
