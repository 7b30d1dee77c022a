"""Manage a Retool organisation with Pulumi."""
