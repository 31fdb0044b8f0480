"""Shared infrastructure: small named modules every app may use. It imports no app of the project."""
