"""Broadcasts: who an audience reaches and what each language's text costs."""
