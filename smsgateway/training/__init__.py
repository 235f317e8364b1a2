"""Training sessions tied to employers' orders: notices, enrolment within capacity, attendance."""
