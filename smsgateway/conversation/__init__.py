"""The villager's side of the line: the catalog the menus read, USSD sessions, inbound SMS, and
the effects a menu step asks for, carried out in the caller's transaction."""
