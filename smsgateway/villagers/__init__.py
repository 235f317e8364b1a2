"""Villagers: phones and registrations, family contacts, and the labour-service files officers
keep on their behalf (assisted registration, CSV imports)."""
